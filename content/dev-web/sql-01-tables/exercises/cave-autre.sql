-- Une autre année au domaine : d'autres vins, d'autres clients (même forme).

CREATE TABLE vins (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  couleur TEXT NOT NULL,
  millesime INTEGER NOT NULL,
  prix REAL,
  stock INTEGER NOT NULL
);

INSERT INTO vins (id, nom, couleur, millesime, prix, stock) VALUES
  (1, 'Les Cabanes', 'rosé', 2025, 9.8, 240),
  (2, 'Roc de Conilhac', 'rouge', 2021, 24.5, 36),
  (3, 'Fleur de Sel', 'blanc', 2024, 12.6, 140),
  (4, 'La Vigie', 'rouge', 2023, 16.0, 72),
  (5, 'Cuvée Mireille', 'rouge', 2025, NULL, 60),
  (6, 'Mistral', 'blanc', 2023, 17.9, 48),
  (7, 'Pointe de l''Aragon', 'rouge', 2019, 34.0, 12),
  (8, 'Aube Rosée', 'rosé', 2025, 11.2, 0);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  ville TEXT NOT NULL,
  email TEXT,
  telephone TEXT
);

INSERT INTO clients (id, prenom, nom, ville, email, telephone) VALUES
  (1, 'Lucas', 'Vidal', 'Bages', 'lucas.vidal@exemple.fr', '06 11 52 83 47'),
  (2, 'Fatima', 'Ouali', 'Narbonne', NULL, '07 64 20 38 15'),
  (3, 'Hélène', 'Sabatier', 'Gruissan', 'helene.sabatier@exemple.fr', NULL),
  (4, 'Kevin', 'Ferrer', 'Port-la-Nouvelle', 'kevin.ferrer@exemple.fr', '06 37 91 26 04'),
  (5, 'Josette', 'Barthe', 'Cuxac-d''Aude', NULL, '04 68 46 72 39'),
  (6, 'Amadou', 'Diallo', 'Narbonne', 'amadou.diallo@exemple.fr', '07 22 84 19 63');
