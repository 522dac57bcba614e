-- La base de l'office de tourisme, avec deux tables d'essai
-- qu'un stagiaire a oublié de supprimer.

CREATE TABLE communes (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  code_postal TEXT NOT NULL,
  habitants INTEGER
);

INSERT INTO communes (id, nom, code_postal, habitants) VALUES
  (1, 'Narbonne', '11100', 56000),
  (2, 'Gruissan', '11430', 5000),
  (3, 'Bages', '11100', 900);

CREATE TABLE hebergements (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  type TEXT NOT NULL,
  commune_id INTEGER NOT NULL REFERENCES communes(id),
  prix_nuit REAL NOT NULL,
  places INTEGER NOT NULL
);

INSERT INTO hebergements (id, nom, type, commune_id, prix_nuit, places) VALUES
  (1, 'Hôtel du Canal', 'hôtel', 1, 72.0, 2),
  (2, 'Gîte des Salins', 'gîte', 2, 85.0, 4),
  (3, 'Le Mas de l''Étang', 'chambre d''hôtes', 3, 64.5, 2);

CREATE TABLE essai_tarifs (
  id INTEGER PRIMARY KEY,
  saison TEXT NOT NULL,
  coefficient REAL NOT NULL
);

INSERT INTO essai_tarifs (id, saison, coefficient) VALUES
  (1, 'basse', 0.8),
  (2, 'haute', 1.3);

CREATE TABLE essai_promos (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,
  tarif_id INTEGER NOT NULL REFERENCES essai_tarifs(id)
);

INSERT INTO essai_promos (id, code, tarif_id) VALUES
  (1, 'PRINTEMPS', 1),
  (2, 'ETE', 2);
