-- L'office de tourisme de la Narbonnaise : les communes, les hébergements
-- qu'il propose, et les clients qui ont déjà réservé.

CREATE TABLE communes (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  code_postal TEXT NOT NULL,
  habitants INTEGER
);

INSERT INTO communes (id, nom, code_postal, habitants) VALUES
  (1, 'Narbonne', '11100', 56000),
  (2, 'Gruissan', '11430', 5000),
  (3, 'Bages', '11100', 900),
  (4, 'Sigean', '11130', 5600),
  (5, 'Leucate', '11370', 4600),
  (6, 'Peyriac-de-Mer', '11440', NULL);

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
  (3, 'Le Mas de l''Étang', 'chambre d''hôtes', 3, 64.5, 2),
  (4, 'Camping La Cigale', 'camping', 5, 32.0, 6),
  (5, 'Les Flamants roses', 'gîte', 6, 110.0, 8),
  (6, 'Chalet des Cabanes', 'gîte', 2, 95.0, 5);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  pays TEXT NOT NULL DEFAULT 'France'
);

INSERT INTO clients (id, prenom, nom, email, pays) VALUES
  (1, 'Léa', 'Martin', 'lea.martin@exemple.fr', 'France'),
  (2, 'Karim', 'Benali', 'karim.benali@exemple.fr', 'France'),
  (3, 'Anna', 'Schmidt', 'anna.schmidt@exemple.de', 'Allemagne'),
  (4, 'Jordi', 'Puig', 'jordi.puig@exemple.es', 'Espagne'),
  (5, 'Thi', 'Nguyen', 'thi.nguyen@exemple.fr', 'France');
