-- Le domaine des Garrigues, dans le massif de la Clape (entre Narbonne et Gruissan).
-- Ses vins, et les clients qui ont laissé leurs coordonnées à la boutique.

CREATE TABLE vins (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  couleur TEXT NOT NULL,
  millesime INTEGER NOT NULL,
  prix REAL,
  stock INTEGER NOT NULL
);

INSERT INTO vins (id, nom, couleur, millesime, prix, stock) VALUES
  (1, 'Les Garrigues', 'rouge', 2022, 14.5, 120),
  (2, 'Cuvée Saint-Pierre', 'rouge', 2021, 22.0, 45),
  (3, 'Vent Marin', 'blanc', 2024, 11.9, 200),
  (4, 'Rosé de la Clape', 'rosé', 2025, 9.5, 310),
  (5, 'Pech Redon', 'rouge', 2020, 29.0, 18),
  (6, 'Les Embruns', 'blanc', 2023, 15.8, 64),
  (7, 'Soleil d''Armissan', 'rosé', 2025, 8.9, 150),
  (8, 'Terre de Fleury', 'rouge', 2023, 12.0, 95),
  (9, 'Grand Tinal', 'blanc', 2022, 19.5, 30),
  (10, 'Cuvée des Vendanges', 'rouge', 2025, NULL, 80),
  (11, 'Muscat de la Clape', 'blanc', 2024, 13.2, 55),
  (12, 'L''Oustal', 'rosé', 2024, 10.4, 0);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  ville TEXT NOT NULL,
  email TEXT,
  telephone TEXT
);

INSERT INTO clients (id, prenom, nom, ville, email, telephone) VALUES
  (1, 'Nadia', 'Benali', 'Narbonne', 'nadia.benali@exemple.fr', '06 12 34 56 78'),
  (2, 'Jean-Pierre', 'Roques', 'Gruissan', NULL, '04 68 49 11 22'),
  (3, 'Maëlle', 'Fabre', 'Coursan', 'maelle.fabre@exemple.fr', '06 45 78 12 30'),
  (4, 'Youssef', 'Amrani', 'Narbonne', 'youssef.amrani@exemple.fr', '07 81 22 65 09'),
  (5, 'Chantal', 'Py', 'Fleury', NULL, '04 68 33 90 14'),
  (6, 'Thomas', 'Garcia', 'Sigean', 'thomas.garcia@exemple.fr', NULL),
  (7, 'Inès', 'Martinez', 'Vinassan', 'ines.martinez@exemple.fr', '06 70 11 48 52'),
  (8, 'Éric', 'Cros', 'Armissan', NULL, '06 28 64 37 91'),
  (9, 'Sofia', 'Da Silva', 'Leucate', 'sofia.dasilva@exemple.fr', '07 56 43 21 87'),
  (10, 'Marc', 'Bonnafous', 'Narbonne', 'marc.bonnafous@exemple.fr', '06 99 05 17 26');
