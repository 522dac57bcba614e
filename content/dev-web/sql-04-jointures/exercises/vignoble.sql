-- Le domaine des Garrigues (massif de la Clape) : ses vins, ses clients, leurs commandes.
-- Une commande (commandes) a une ou plusieurs lignes (lignes_commande) : un vin, une quantité,
-- et le prix d'une bouteille au moment de la commande (prix_unitaire).

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
  (1, 'Les Garrigues', 'rouge', 2022, 14.5),
  (2, 'Cuvée Saint-Pierre', 'rouge', 2021, 22.0),
  (3, 'Vent Marin', 'blanc', 2024, 11.9),
  (4, 'Rosé de la Clape', 'rosé', 2025, 9.5),
  (5, 'Pech Redon', 'rouge', 2020, 29.0),
  (6, 'Les Embruns', 'blanc', 2023, 15.8),
  (7, 'Soleil d''Armissan', 'rosé', 2025, 8.9),
  (8, 'Terre de Fleury', 'rouge', 2023, 12.0),
  (9, 'Grand Tinal', 'blanc', 2022, 19.5),
  (10, 'Cuvée des Vendanges', 'rouge', 2025, NULL);

INSERT INTO clients (id, prenom, nom, commune, email) VALUES
  (1, 'Nadia', 'Benali', 'Narbonne', 'nadia.benali@exemple.fr'),
  (2, 'Jean-Pierre', 'Roques', 'Gruissan', NULL),
  (3, 'Maëlle', 'Fabre', 'Coursan', 'maelle.fabre@exemple.fr'),
  (4, 'Youssef', 'Amrani', 'Narbonne', 'youssef.amrani@exemple.fr'),
  (5, 'Chantal', 'Py', 'Fleury', NULL),
  (6, 'Thomas', 'Garcia', 'Sigean', 'thomas.garcia@exemple.fr'),
  (7, 'Inès', 'Martinez', 'Vinassan', 'ines.martinez@exemple.fr'),
  (8, 'Éric', 'Cros', 'Armissan', NULL),
  (9, 'Sofia', 'Da Silva', 'Leucate', 'sofia.dasilva@exemple.fr'),
  (10, 'Marc', 'Bonnafous', 'Narbonne', 'marc.bonnafous@exemple.fr');

INSERT INTO commandes (id, client_id, date_commande, mode) VALUES
  (1, 1, '2026-06-05', 'boutique'),
  (2, 3, '2026-06-08', 'boutique'),
  (3, 4, '2026-06-17', 'en ligne'),
  (4, 5, '2026-06-09', 'boutique'),
  (5, 6, '2026-06-25', 'en ligne'),
  (6, 9, '2026-06-29', 'boutique'),
  (7, 10, '2026-07-01', 'boutique'),
  (8, 2, '2026-07-02', 'boutique'),
  (9, 3, '2026-07-07', 'boutique'),
  (10, 10, '2026-07-12', 'en ligne'),
  (11, 10, '2026-07-19', 'en ligne'),
  (12, 10, '2026-07-25', 'boutique'),
  (13, 9, '2026-07-22', 'boutique'),
  (14, 10, '2026-07-27', 'boutique');

INSERT INTO lignes_commande (id, commande_id, vin_id, quantite, prix_unitaire) VALUES
  (1, 1, 8, 1, 11.5),
  (2, 2, 1, 6, 14.0),
  (3, 2, 6, 3, 15.3),
  (4, 3, 2, 3, 21.5),
  (5, 4, 1, 12, 14.0),
  (6, 5, 7, 12, 8.4),
  (7, 6, 1, 2, 14.0),
  (8, 6, 5, 6, 28.5),
  (9, 7, 4, 12, 9.5),
  (10, 7, 3, 2, 11.9),
  (11, 7, 2, 6, 22.0),
  (12, 8, 7, 6, 8.9),
  (13, 9, 5, 3, 29.0),
  (14, 9, 1, 12, 14.5),
  (15, 9, 6, 12, 15.8),
  (16, 10, 4, 6, 9.5),
  (17, 10, 3, 6, 11.9),
  (18, 10, 7, 6, 8.9),
  (19, 11, 8, 2, 12.0),
  (20, 12, 3, 12, 11.9),
  (21, 12, 8, 12, 12.0),
  (22, 12, 5, 12, 29.0),
  (23, 13, 2, 2, 22.0),
  (24, 13, 7, 6, 8.9),
  (25, 14, 1, 1, 14.5),
  (26, 14, 4, 3, 9.5);
