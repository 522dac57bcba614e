-- L'office de tourisme de la Narbonnaise : ses communes, ses hébergements,
-- ses clients et ses guides.

CREATE TABLE communes (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  code_postal TEXT NOT NULL
);

INSERT INTO communes (id, nom, code_postal) VALUES
  (1, 'Narbonne', '11100'),
  (2, 'Gruissan', '11430'),
  (3, 'Bages', '11100'),
  (4, 'Leucate', '11370');

CREATE TABLE hebergements (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  type TEXT NOT NULL,
  prix_nuit REAL NOT NULL,
  places INTEGER NOT NULL,
  commune_id INTEGER NOT NULL,
  FOREIGN KEY (commune_id) REFERENCES communes(id)
);

INSERT INTO hebergements (id, nom, type, prix_nuit, places, commune_id) VALUES
  (1, 'Hôtel du Canal', 'hôtel', 72.0, 2, 1),
  (2, 'Gîte des Salins', 'gîte', 85.0, 4, 2),
  (3, 'Le Mas de l''Étang', 'chambre d''hôtes', 64.5, 2, 3),
  (4, 'Camping La Cigale', 'camping', 32.0, 6, 4),
  (5, 'Chalet des Cabanes', 'gîte', 95.0, 5, 2);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE
);

INSERT INTO clients (id, prenom, nom, email) VALUES
  (1, 'Léa', 'Martin', 'lea.martin@exemple.fr'),
  (2, 'Karim', 'Benali', 'karim.benali@exemple.fr'),
  (3, 'Anna', 'Schmidt', 'anna.schmidt@exemple.de'),
  (4, 'Jordi', 'Puig', 'jordi.puig@exemple.es');

CREATE TABLE guides (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  telephone TEXT NOT NULL
);

INSERT INTO guides (id, prenom, nom, telephone) VALUES
  (1, 'Sabine', 'Couderc', '06 00 00 00 11'),
  (2, 'Hugo', 'Ribes', '06 00 00 00 22'),
  (3, 'Amina', 'Tahiri', '06 00 00 00 33');
