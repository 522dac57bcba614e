-- Une autre année au domaine : d'autres vins, d'autres clients,
-- d'autres commandes (même forme).

CREATE TABLE vins (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  couleur TEXT NOT NULL CHECK (couleur IN ('rouge', 'blanc', 'rosé')),
  millesime INTEGER NOT NULL,
  prix REAL CHECK (prix > 0),
  stock INTEGER NOT NULL DEFAULT 0
);

INSERT INTO vins (id, nom, couleur, millesime, prix, stock) VALUES
  (1, 'Les Cabanes', 'rosé', 2025, 9.8, 240),
  (2, 'Roc de Conilhac', 'rouge', 2021, 24.5, 36),
  (3, 'Fleur de Sel', 'blanc', 2024, 12.6, 140),
  (4, 'La Vigie', 'rouge', 2023, 16.0, 72),
  (5, 'Mistral', 'blanc', 2023, 17.9, 48),
  (6, 'Rosé de la Clape', 'rosé', 2024, 9.2, 180),
  (7, 'Pointe de l''Aragon', 'rouge', 2019, 34.0, 12),
  (8, 'Blanc de Pech', 'blanc', 2021, 21.0, 20),
  (9, 'Aube Rosée', 'rosé', 2025, 11.2, 0);

CREATE TABLE clients (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  ville TEXT NOT NULL,
  email TEXT UNIQUE,
  telephone TEXT
);

INSERT INTO clients (id, prenom, nom, ville, email, telephone) VALUES
  (1, 'Lucas', 'Vidal', 'Bages', 'lucas.vidal@exemple.fr', '06 11 52 83 47'),
  (2, 'Fatima', 'Ouali', 'Narbonne', NULL, '07 64 20 38 15'),
  (3, 'Hélène', 'Sabatier', 'Gruissan', 'helene.sabatier@exemple.fr', NULL),
  (4, 'Kevin', 'Ferrer', 'Port-la-Nouvelle', 'kevin.ferrer@exemple.fr', '06 37 91 26 04'),
  (5, 'Josette', 'Barthe', 'Cuxac-d''Aude', NULL, '04 68 46 72 39'),
  (6, 'Amadou', 'Diallo', 'Narbonne', 'amadou.diallo@exemple.fr', '07 22 84 19 63'),
  (7, 'Rémi', 'Aussenac', 'Coursan', 'remi.aussenac@exemple.fr', NULL);

CREATE TABLE commandes (
  id INTEGER PRIMARY KEY,
  client_id INTEGER NOT NULL REFERENCES clients(id),
  date_commande TEXT NOT NULL,
  etat TEXT NOT NULL DEFAULT 'en cours' CHECK (etat IN ('en cours', 'expédiée', 'annulée'))
);

INSERT INTO commandes (id, client_id, date_commande, etat) VALUES
  (1, 2, '2024-11-05', 'expédiée'),
  (2, 4, '2024-11-19', 'annulée'),
  (3, 1, '2024-12-02', 'expédiée'),
  (4, 6, '2024-12-10', 'en cours'),
  (5, 3, '2024-12-14', 'expédiée'),
  (6, 7, '2024-12-20', 'annulée'),
  (7, 5, '2025-01-06', 'en cours'),
  (8, 2, '2025-01-09', 'expédiée'),
  (9, 1, '2025-01-13', 'annulée'),
  (10, 6, '2025-01-20', 'en cours');

CREATE TABLE lignes_commande (
  commande_id INTEGER NOT NULL REFERENCES commandes(id),
  vin_id INTEGER NOT NULL REFERENCES vins(id),
  quantite INTEGER NOT NULL CHECK (quantite > 0),
  PRIMARY KEY (commande_id, vin_id)
);

INSERT INTO lignes_commande (commande_id, vin_id, quantite) VALUES
  (1, 6, 12),
  (1, 2, 6),
  (2, 7, 3),
  (2, 1, 6),
  (2, 3, 6),
  (3, 4, 6),
  (4, 5, 12),
  (5, 8, 2),
  (5, 9, 6),
  (6, 6, 6),
  (7, 1, 24),
  (8, 3, 6),
  (10, 2, 3),
  (10, 6, 6);
