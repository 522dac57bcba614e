-- La ligne de bus de l'été : les trajets de trois jours de juillet sur le réseau du Grand Narbonne.
-- voyageurs : le nombre de personnes montées pendant le trajet.
-- retard : le retard à l'arrivée, en minutes (NULL : pas mesuré, le boîtier était en panne).
-- recette : l'argent des tickets vendus à bord par le conducteur, en euros.

CREATE TABLE trajets (
  id INTEGER PRIMARY KEY,
  jour TEXT NOT NULL,
  ligne TEXT NOT NULL,
  depart TEXT NOT NULL,
  conducteur TEXT NOT NULL,
  voyageurs INTEGER NOT NULL,
  retard INTEGER,
  recette REAL NOT NULL
);

INSERT INTO trajets (id, jour, ligne, depart, conducteur, voyageurs, retard, recette) VALUES
  (1, '2026-07-13', 'Gruissan', '07:15', 'Leïla', 30, 0, 6.6),
  (2, '2026-07-13', 'Gruissan', '07:40', 'Leïla', 26, NULL, 0.0),
  (3, '2026-07-13', 'Gruissan', '08:30', 'Leïla', 28, NULL, 1.1),
  (4, '2026-07-13', 'Narbonne-Plage', '08:30', 'Paul', 50, 0, 0.0),
  (5, '2026-07-13', 'Centre-ville', '11:45', 'Farid', 21, 6, 3.3),
  (6, '2026-07-13', 'Narbonne-Plage', '13:15', 'Leïla', 37, 5, 0.0),
  (7, '2026-07-13', 'Coursan', '17:05', 'Hugo', 17, 8, 4.4),
  (8, '2026-07-13', 'Narbonne-Plage', '17:45', 'Sandrine', 45, 4, 7.7),
  (9, '2026-07-13', 'Centre-ville', '18:20', 'Sandrine', 23, 0, 6.6),
  (10, '2026-07-13', 'Coursan', '19:00', 'Hugo', 2, 0, 0.0),
  (11, '2026-07-14', 'Gruissan', '07:15', 'Sandrine', 41, 8, 14.3),
  (12, '2026-07-14', 'Narbonne-Plage', '09:05', 'Hugo', 61, 6, 19.8),
  (13, '2026-07-14', 'Centre-ville', '12:30', 'Farid', 10, 6, 3.3),
  (14, '2026-07-14', 'Gruissan', '13:15', 'Sandrine', 46, 4, 12.1),
  (15, '2026-07-14', 'Coursan', '14:00', 'Farid', 8, 1, 2.2),
  (16, '2026-07-14', 'Narbonne-Plage', '14:00', 'Leïla', 56, 4, 16.5),
  (17, '2026-07-14', 'Gruissan', '16:10', 'Farid', 39, NULL, 9.9),
  (18, '2026-07-14', 'Narbonne-Plage', '16:10', 'Hugo', 54, 6, 5.5),
  (19, '2026-07-14', 'Centre-ville', '17:45', 'Sandrine', 2, 2, 0.0),
  (20, '2026-07-14', 'Coursan', '18:20', 'Leïla', 15, 12, 2.2),
  (21, '2026-07-15', 'Gruissan', '06:45', 'Farid', 23, 12, 3.3),
  (22, '2026-07-15', 'Coursan', '08:30', 'Hugo', 16, 6, 3.3),
  (23, '2026-07-15', 'Narbonne-Plage', '08:30', 'Paul', 37, 12, 9.9),
  (24, '2026-07-15', 'Centre-ville', '10:20', 'Hugo', 22, 4, 7.7),
  (25, '2026-07-15', 'Gruissan', '10:20', 'Hugo', 34, 1, 8.8),
  (26, '2026-07-15', 'Narbonne-Plage', '11:45', 'Hugo', 38, 1, 1.1),
  (27, '2026-07-15', 'Coursan', '12:30', 'Hugo', 19, 3, 0.0),
  (28, '2026-07-15', 'Narbonne-Plage', '16:10', 'Farid', 25, 0, 0.0),
  (29, '2026-07-15', 'Gruissan', '17:05', 'Leïla', 41, 2, 4.4),
  (30, '2026-07-15', 'Centre-ville', '19:00', 'Farid', 23, NULL, 2.2);
