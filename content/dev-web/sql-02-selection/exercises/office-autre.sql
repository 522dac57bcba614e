-- Une autre saison à l'office de tourisme : d'autres hébergements (même forme).

CREATE TABLE hebergements (
  id INTEGER PRIMARY KEY,
  nom TEXT NOT NULL,
  type TEXT NOT NULL,
  commune TEXT NOT NULL,
  capacite INTEGER NOT NULL,
  prix_nuit REAL,
  etoiles INTEGER,
  animaux INTEGER NOT NULL,
  email TEXT,
  telephone TEXT NOT NULL,
  ouverture TEXT NOT NULL
);

INSERT INTO hebergements (id, nom, type, commune, capacite, prix_nuit, etoiles, animaux, email, telephone, ouverture) VALUES
  (1, 'Camping Les Flots', 'camping', 'Gruissan', 700, 36.0, 4, 1, 'lesflots@exemple.fr', '04 68 49 10 20', '2026-04-04'),
  (2, 'Gîte du Moulin', 'gîte', 'Gruissan', 6, 70.0, NULL, 0, NULL, '06 20 31 42 53', '2026-04-11'),
  (3, 'Hôtel Saint-Just', 'hôtel', 'Narbonne', 45, 92.0, 3, 1, 'saintjust@exemple.fr', '04 68 32 44 55', '2026-01-05'),
  (4, 'Hôtel de la Gare', 'hôtel', 'Narbonne', 28, 65.0, 2, 0, NULL, '04 68 32 66 77', '2026-01-05'),
  (5, 'Hôtel Les Dunes', 'hôtel', 'Leucate', 60, 105.0, 4, 1, 'lesdunes@exemple.fr', '04 68 40 11 22', '2026-03-14'),
  (6, 'Camping La Plage d''Or', 'camping', 'Port-la-Nouvelle', 540, 30.0, 3, 1, 'plagedor@exemple.fr', '04 68 48 22 33', '2026-04-18'),
  (7, 'Gîte Les Oliviers', 'gîte', 'Bages', 5, 48.0, NULL, 1, 'oliviers@exemple.fr', '06 44 55 66 77', '2026-03-28'),
  (8, 'Chambres du Canal', 'chambre d''hôtes', 'Sallèles-d''Aude', 10, 66.0, NULL, 1, NULL, '06 71 82 93 04', '2026-04-01'),
  (9, 'Camping Les Cigales', 'camping', 'Sigean', 210, 27.5, 2, 0, 'cigales@exemple.fr', '04 68 48 55 66', '2026-05-01'),
  (10, 'Hôtel de la Plage', 'hôtel', 'Fleury', 34, 99.0, NULL, 1, 'plage.fleury@exemple.fr', '04 68 33 77 88', '2026-03-21'),
  (11, 'Gîte de la Plage', 'gîte', 'Leucate', 8, 88.0, NULL, 1, NULL, '06 58 69 70 81', '2026-04-25'),
  (12, 'Camping du Lac', 'camping', 'Leucate', 330, 33.5, 3, 1, 'dulac@exemple.fr', '04 68 40 33 44', '2026-04-04'),
  (13, 'Mas de la Garrigue', 'chambre d''hôtes', 'Armissan', 6, NULL, NULL, 0, 'masgarrigue@exemple.fr', '06 13 24 35 46', '2026-04-11'),
  (14, 'Hôtel du Golfe', 'hôtel', 'Gruissan', 42, 81.0, 3, 0, 'dugolfe@exemple.fr', '04 68 49 88 99', '2026-02-14');
