-- Une autre saison au domaine : d'autres vins, d'autres clients, d'autres commandes (même forme).

CREATE TABLE vins (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  couleur TEXT NOT NULL,
  millesime INTEGER NOT NULL,
  prix REAL
);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  commune TEXT NOT NULL,
  email TEXT
);

CREATE TABLE commandes (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients (id),
  date_commande TEXT NOT NULL,
  mode TEXT NOT NULL
);

CREATE TABLE lignes_commande (
  id INTEGER PRIMARY KEY,
  commande_id INTEGER NOT NULL REFERENCES commandes (id),
  vin_id INTEGER NOT NULL REFERENCES vins (id),
  quantite INTEGER NOT NULL,
  prix_unitaire REAL NOT NULL
);

INSERT INTO vins (id, nom, couleur, millesime, prix) VALUES
  (1, 'Les Cabanes', 'rosé', 2025, 9.8),
  (2, 'Roc de Conilhac', 'rouge', 2021, 24.5),
  (3, 'Fleur de Sel', 'blanc', 2024, 12.6),
  (4, 'La Vigie', 'rouge', 2023, 16.0),
  (5, 'Cuvée Mireille', 'rouge', 2025, NULL),
  (6, 'Mistral', 'blanc', 2023, 17.9),
  (7, 'Pointe de l''Aragon', 'rouge', 2019, 34.0),
  (8, 'Aube Rosée', 'rosé', 2025, 11.2);

INSERT INTO clients (id, prenom, nom, commune, email) VALUES
  (1, 'Lucas', 'Vidal', 'Bages', 'lucas.vidal@exemple.fr'),
  (2, 'Fatima', 'Ouali', 'Narbonne', NULL),
  (3, 'Hélène', 'Sabatier', 'Gruissan', 'helene.sabatier@exemple.fr'),
  (4, 'Kevin', 'Ferrer', 'Port-la-Nouvelle', 'kevin.ferrer@exemple.fr'),
  (5, 'Josette', 'Barthe', 'Cuxac-d''Aude', NULL),
  (6, 'Amadou', 'Diallo', 'Narbonne', 'amadou.diallo@exemple.fr'),
  (7, 'Claire', 'Vidal', 'Sigean', 'claire.vidal@exemple.fr');

INSERT INTO commandes (id, client_id, date_commande, mode) VALUES
  (1, 1, '2026-09-04', 'en ligne'),
  (2, 2, '2026-09-06', 'boutique'),
  (3, 4, '2026-09-24', 'en ligne'),
  (4, 6, '2026-09-11', 'boutique'),
  (5, 7, '2026-10-18', 'boutique'),
  (6, 2, '2026-10-24', 'boutique'),
  (7, 4, '2026-10-26', 'boutique'),
  (8, 4, '2026-10-25', 'en ligne'),
  (9, 4, '2026-10-28', 'en ligne');

INSERT INTO lignes_commande (id, commande_id, vin_id, quantite, prix_unitaire) VALUES
  (1, 1, 3, 2, 12.1),
  (2, 1, 6, 6, 17.4),
  (3, 2, 8, 12, 10.7),
  (4, 2, 2, 6, 24.0),
  (5, 2, 4, 12, 15.5),
  (6, 3, 6, 6, 17.4),
  (7, 3, 4, 3, 15.5),
  (8, 4, 3, 6, 12.1),
  (9, 5, 4, 2, 16.0),
  (10, 5, 6, 6, 17.9),
  (11, 6, 1, 2, 9.8),
  (12, 7, 6, 6, 17.9),
  (13, 8, 6, 6, 17.9),
  (14, 8, 2, 12, 24.5),
  (15, 8, 4, 6, 16.0),
  (16, 9, 3, 2, 12.6),
  (17, 9, 4, 6, 16.0);
