nom = input("Comment t'appelles-tu ? ")
age = int(input("Quel âge as-tu ? "))
print(f"Bonjour {nom} ! L'an prochain tu auras {age + 1} ans.")
total = 0
while True:
    try:
        ligne = input()
    except EOFError:
        break
    total += int(ligne)
print("Total :", total)
