-- Le domaine des Garrigues, dans le massif de la Clape : ses vins,
-- ses clients, leurs commandes et les lignes de chaque commande.

CREATE TABLE vins (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  couleur TEXT NOT NULL CHECK (couleur IN ('rouge', 'blanc', 'rosé')),
  millesime INTEGER NOT NULL,
  prix REAL CHECK (prix > 0),
  stock INTEGER NOT NULL DEFAULT 0
);

INSERT INTO vins (id, nom, couleur, millesime, prix, stock) VALUES
  (1, 'Les Garrigues', 'rouge', 2022, 14.5, 120),
  (2, 'Cuvée Saint-Pierre', 'rouge', 2021, 22.0, 45),
  (3, 'Vent Marin', 'blanc', 2024, 11.9, 200),
  (4, 'Rosé de la Clape', 'rosé', 2025, 9.5, 310),
  (5, 'Pech Redon', 'rouge', 2020, 29.0, 18),
  (6, 'Les Embruns', 'blanc', 2023, 15.8, 64),
  (7, 'Grand Tinal', 'blanc', 2022, 19.5, 30),
  (8, 'Muscat de la Clape', 'blanc', 2024, 13.2, 55);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  ville TEXT NOT NULL,
  email TEXT UNIQUE,
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
  (8, 'Éric', 'Cros', 'Armissan', NULL, '06 28 64 37 91');

CREATE TABLE commandes (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  date_commande TEXT NOT NULL,
  etat TEXT NOT NULL DEFAULT 'en cours' CHECK (etat IN ('en cours', 'expédiée', 'annulée'))
);

INSERT INTO commandes (id, client_id, date_commande, etat) VALUES
  (1, 1, '2025-01-08', 'expédiée'),
  (2, 3, '2025-01-15', 'expédiée'),
  (3, 2, '2025-01-22', 'annulée'),
  (4, 4, '2025-02-03', 'expédiée'),
  (5, 1, '2025-02-11', 'annulée'),
  (6, 6, '2025-02-18', 'expédiée'),
  (7, 7, '2025-02-25', 'en cours'),
  (8, 5, '2025-03-01', 'annulée'),
  (9, 8, '2025-03-04', 'en cours'),
  (10, 3, '2025-03-06', 'en cours'),
  (11, 2, '2025-03-08', 'expédiée'),
  (12, 4, '2025-03-10', 'en cours');

CREATE TABLE lignes_commande (
  commande_id INTEGER NOT NULL REFERENCES commandes(id),
  vin_id INTEGER NOT NULL REFERENCES vins(id),
  quantite INTEGER NOT NULL CHECK (quantite > 0),
  PRIMARY KEY (commande_id, vin_id)
);

INSERT INTO lignes_commande (commande_id, vin_id, quantite) VALUES
  (1, 1, 6),
  (1, 4, 6),
  (2, 2, 3),
  (3, 3, 12),
  (3, 4, 6),
  (4, 5, 2),
  (4, 1, 6),
  (5, 6, 6),
  (6, 4, 24),
  (6, 3, 6),
  (7, 8, 3),
  (8, 2, 6),
  (9, 1, 12),
  (10, 7, 6),
  (10, 4, 12),
  (11, 3, 6),
  (12, 5, 1),
  (12, 8, 6);
