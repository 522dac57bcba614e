const nom = prompt("Comment t'appelles-tu ? ");
const age = Number(readline());
console.log(`Bonjour ${nom} ! L'an prochain tu auras ${age + 1} ans.`);
let total = 0;
let ligne;
while ((ligne = readline()) !== null) total += Number(ligne);
console.log("Total :", total);
