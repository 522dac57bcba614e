const nom = "Awa";
let age = 17;
console.log(`Bonjour ${nom}, tu as ${age} ans. Dans 2 ans : ${age + 2}`);
const carre = (n) => n * n;
const somme = (...nombres) => nombres.reduce((a, b) => a + b, 0);
console.log(carre(7), somme(1, 2, 3, 4), [1, 2, 3].map(carre));
class Animal {
  constructor(nom, cri) { this.nom = nom; this.cri = cri; }
  parler() { return `${this.nom} fait ${this.cri}`; }
  static creer(nom) { return new Animal(nom, "..."); }
}
class Chat extends Animal {
  constructor(nom) { super(nom, "miaou"); }
  get description() { return `Chat ${this.nom}`; }
}
const c = new Chat("Minou");
console.log(c.parler(), c.description, c instanceof Animal, Animal.creer("Rex").cri);
console.log(c);
const { a, b = 5, ...autres } = { a: 1, c: 3, d: 4 };
const [premier, , troisieme = "rien", ...fin] = [10, 20];
console.log(a, b, autres, premier, troisieme, fin);
const eleves = [{ nom: "Léa", age: 15 }, { nom: "Noé", age: 12 }, { nom: "Inès", age: 14 }];
console.log(eleves.filter((e) => e.age > 12).map((e) => e.nom).join(", "));
console.log([...eleves].sort((x, y) => x.age - y.age).map((e) => e.nom));
console.log(eleves.find((e) => e.nom.startsWith("I")), eleves.findIndex((e) => e.age === 12), eleves.some((e) => e.age > 14), eleves.every((e) => e.age > 14));
console.log([3, 1, 10, 2].sort(), [3, 1, 10, 2].sort((x, y) => x - y), [1, [2, [3, [4]]]].flat(2), Array.from({ length: 3 }, (_, i) => i * 2));
console.log([1, 2, 3].includes(2), [1, 2, 3].indexOf(4), [1, 2, 3, 4, 5].slice(1, -1), ["a", "b"].concat(["c"]), [5, 1].reverse());
const m = new Map([["un", 1], ["deux", 2]]);
m.set("trois", 3);
const s = new Set([1, 2, 2, 3]);
console.log(m, s, m.get("deux"), s.has(2), m.size, s.size, [...m.keys()], [...s]);
const texte = JSON.stringify({ nom: "Zoé", notes: [12, 15.5], ok: true, rien: null });
console.log(texte, JSON.parse(texte).notes[1], JSON.stringify([1, { a: 2 }], null, 2));
console.log("  Le Chat  ".trim().toLowerCase().split(" "), "abc".toUpperCase(), "a-b-c".split("-"), "Bonjour".includes("jour"), "5".padStart(3, "0"), "ha".repeat(3));
console.log(typeof 42, typeof "x", typeof undefined, typeof null, typeof {}, typeof [], typeof (() => 1), Array.isArray([]));
console.log(0.1 + 0.2, 7 / 2, Math.floor(7 / 2), 7 % 3, -7 % 3, 2 ** 10, Math.max(3, 9, 1), Math.round(2.5), Math.abs(-4), parseInt("42px"), parseFloat("3.5"), Number("abc"), (1234.5678).toFixed(2));
console.log(null ?? "défaut", undefined?.x, 0 || "vide", 1 && "oui", "5" == 5, "5" === 5, NaN === NaN, [] + [], 1 + "2", "3" * "4");
try {
  null.x;
} catch (e) {
  console.log(e instanceof TypeError, e.name);
}
try {
  throw new Error("oups");
} catch (e) {
  console.log("attrapé :", e.message);
} finally {
  console.log("finally");
}
const objet = { x: 1, y: { z: [1, 2, { w: 3 }] }, f() { return 1; }, "clé-spéciale": true };
console.log(objet);
console.log(Object.keys(objet), Object.values({ a: 1, b: 2 }), Object.entries({ a: 1 }));
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log(["pomme", "banane", "cerise", "datte", "figue", "goyave", "kiwi"]);
console.log([undefined, null, NaN, -0, 1e21, 10n, Symbol("s")], [[1, [2, [3, [4]]]]], { a: { b: { c: { d: 1 } } } });
console.log("%s a %d ans", "Yanis", 14, "et plus");
let i = 0;
while (i < 3) i++;
for (const lettre of "abc") process.stdout.write(lettre);
for (const k in { p: 1, q: 2 }) process.stdout.write(k);
console.log();
label: for (let x = 0; x < 3; x++) { for (let y = 0; y < 3; y++) { if (y === 1) continue label; if (x === 2) break label; console.log(x, y); } }
const compteur = (() => { let n = 0; return () => ++n; })();
compteur(); compteur();
console.log(compteur(), [..."été"], String(123).length, new Date(0).toISOString(), [1, 2, 3].at(-1));
Promise.resolve(1).then((v) => console.log("promesse", v));
setTimeout(() => console.log("plus tard"), 10);
setTimeout(() => console.log("d'abord"), 0);
console.log("synchrone");
