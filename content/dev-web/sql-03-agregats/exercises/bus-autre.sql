-- D'autres jours, d'autres lignes et d'autres conducteurs (même forme).

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
  (1, '2026-08-03', 'Narbonne-Plage', '07:15', 'Nathalie', 34, 6, 11.0),
  (2, '2026-08-03', 'Leucate', '07:40', 'Aïcha', 23, 5, 5.5),
  (3, '2026-08-03', 'Centre-ville', '08:30', 'Aïcha', 6, 0, 1.1),
  (4, '2026-08-03', 'Leucate', '09:05', 'Aïcha', 25, 4, 6.6),
  (5, '2026-08-03', 'Sigean', '09:05', 'Aïcha', 20, 12, 1.1),
  (6, '2026-08-03', 'Cuxac', '10:20', 'Karim', 9, 2, 0.0),
  (7, '2026-08-03', 'Centre-ville', '13:15', 'Karim', 20, 12, 2.2),
  (8, '2026-08-03', 'Cuxac', '13:15', 'Karim', 18, 8, 6.6),
  (9, '2026-08-03', 'Sigean', '16:10', 'Aïcha', 12, 4, 4.4),
  (10, '2026-08-03', 'Leucate', '17:45', 'Julien', 10, 4, 3.3),
  (11, '2026-08-03', 'Narbonne-Plage', '19:00', 'Karim', 44, 5, 7.7),
  (12, '2026-08-04', 'Cuxac', '09:05', 'Aïcha', 13, 8, 1.1),
  (13, '2026-08-04', 'Leucate', '11:45', 'Julien', 31, NULL, 4.4),
  (14, '2026-08-04', 'Narbonne-Plage', '11:45', 'Aïcha', 25, 3, 4.4),
  (15, '2026-08-04', 'Leucate', '12:30', 'Aïcha', 24, 12, 5.5),
  (16, '2026-08-04', 'Sigean', '14:00', 'Nathalie', 18, 4, 5.5),
  (17, '2026-08-04', 'Sigean', '16:10', 'Nathalie', 17, 5, 0.0),
  (18, '2026-08-04', 'Centre-ville', '18:20', 'Nathalie', 19, NULL, 5.5),
  (19, '2026-08-04', 'Cuxac', '18:20', 'Nathalie', 14, 0, 4.4),
  (20, '2026-08-04', 'Leucate', '18:20', 'Karim', 30, 3, 3.3),
  (21, '2026-08-04', 'Centre-ville', '19:00', 'Karim', 24, 5, 0.0),
  (22, '2026-08-04', 'Narbonne-Plage', '19:00', 'Nathalie', 37, 4, 5.5);
