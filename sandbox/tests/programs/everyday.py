nom = "Awa"
age = 17
print(f"Bonjour {nom}, tu as {age} ans. {age * 2 = }")
print(f"{3.14159:.2f} {42:>5} {'gauche':<8}| {1234567:,}")
carres = [n * n for n in range(6) if n % 2 == 0]
inverse = {v: k for k, v in {"a": 1, "b": 2}.items()}
print(carres, inverse, {x % 3 for x in range(10)})

class Animal:
    def __init__(self, nom, cri):
        self.nom = nom
        self.cri = cri

    def parler(self):
        return f"{self.nom} fait {self.cri}"

    def __repr__(self):
        return f"Animal({self.nom!r})"

class Chat(Animal):
    def __init__(self, nom):
        super().__init__(nom, "miaou")

c = Chat("Minou")
print(c.parler(), [c], isinstance(c, Animal))

def diviser(a, b):
    try:
        return a / b
    except ZeroDivisionError as e:
        return f"erreur : {e}"
    finally:
        print("calcul terminé")

print(diviser(10, 4), diviser(1, 0))
try:
    int("douze")
except ValueError as e:
    print("ValueError:", e)

eleves = [("Léa", 15), ("Noé", 12), ("Inès", 14)]
print(sorted(eleves, key=lambda e: e[1]))
print(sorted(eleves, key=lambda e: e[0], reverse=True))
print(max(eleves, key=lambda e: e[1])[0], min(len(n) for n, _ in eleves))

phrase = "  Le Chat est sur le tapis  "
print(phrase.strip().lower().split(), phrase.count("a"), phrase.replace("Chat", "chien").strip())
print("-".join(["a", "b", "c"]), "abc".upper(), "Titre de livre".title(), "x".center(5, "*"))
print("python"[::-1], "python"[1:4], "py" in "python", "42".zfill(5), "a,b,,c".split(","))
print(list(enumerate("abc", 1)), list(zip([1, 2], "xy")), dict(zip("ab", range(2))))

from collections import Counter, defaultdict
import math, json, random, itertools, functools, string, datetime, re, statistics, fractions, decimal
from dataclasses import dataclass
from typing import List

print(Counter("abracadabra").most_common(2))
d = defaultdict(list)
d["x"].append(1)
print(dict(d), math.sqrt(16), math.pi, math.floor(-2.5), round(2.675, 2), 7 // 2, -7 // 2, 7 % 3, 2 ** 100)
print(json.dumps({"nom": "Zoé", "notes": [12, 15.5], "ok": True, "rien": None}, ensure_ascii=False))
print(json.loads('{"a": [1, 2, {"b": null}]}'))
print(list(itertools.permutations("abc", 2))[:3], functools.reduce(lambda a, b: a * b, range(1, 6)))
print(string.ascii_lowercase[:5], datetime.date(2027, 1, 15).isoformat(), datetime.date(2027, 1, 15).weekday())
print(re.findall(r"\d+", "12 chats et 7 chiens"), re.sub(r"\s+", " ", "a   b \t c"))
print(statistics.mean([12, 15, 9]), statistics.median([3, 1, 2]), fractions.Fraction(3, 6), decimal.Decimal("0.1") + decimal.Decimal("0.2"))

@dataclass
class Point:
    x: int
    y: int = 0

    def norme(self) -> float:
        return math.hypot(self.x, self.y)

p = Point(3, 4)
print(p, p.norme(), p == Point(3, 4))

def moyenne(notes: List[float]) -> float:
    return sum(notes) / len(notes) if notes else 0.0

print(moyenne([10, 12, 14]), moyenne([]))
random.seed(1)
x = random.randint(1, 100)
print(1 <= x <= 100, random.choice(["pile", "face"]) in ("pile", "face"))
gen = (i * 2 for i in range(3))
print(next(gen), list(gen), any([False, True]), all([]), sum(range(101)))
a, *reste = [1, 2, 3, 4]
print(a, reste, "ok" if a else "non", None is None, [1, 2] + [3], [0] * 3, (1,) * 2)
i = 0
while i < 3:
    i += 1
else:
    print("fin de boucle", i)
for n in range(10):
    if n == 5:
        break
    if n % 2:
        continue
    print(n, end=" ")
print()
print("%s a %d ans et %.1f de moyenne" % ("Yanis", 14, 13.456), "{} + {} = {}".format(1, 2, 3))
