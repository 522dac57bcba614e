-- Une autre année à la médiathèque : d'autres livres, d'autres adhérents, d'autres prêts (même forme).

CREATE TABLE livres (
  id INTEGER PRIMARY KEY,
  titre TEXT NOT NULL,
  auteur TEXT NOT NULL,
  genre TEXT NOT NULL,
  annee INTEGER NOT NULL,
  pages INTEGER NOT NULL
);

CREATE TABLE adherents (
  id INTEGER PRIMARY KEY,
  prenom TEXT NOT NULL,
  nom TEXT NOT NULL,
  commune TEXT NOT NULL,
  inscription TEXT NOT NULL
);

CREATE TABLE prets (
  id INTEGER PRIMARY KEY,
  livre_id INTEGER NOT NULL REFERENCES livres (id),
  adherent_id INTEGER NOT NULL REFERENCES adherents (id),
  date_pret TEXT NOT NULL,
  date_retour TEXT
);

INSERT INTO livres (id, titre, auteur, genre, annee, pages) VALUES
  (1, 'Germinal', 'Émile Zola', 'roman', 1885, 592),
  (2, 'Le Petit Nicolas', 'René Goscinny', 'jeunesse', 1960, 160),
  (3, 'Dans les bois éternels', 'Fred Vargas', 'policier', 2006, 432),
  (4, 'Les Rivières pourpres', 'Jean-Christophe Grangé', 'policier', 1998, 416),
  (5, 'Tintin au Tibet', 'Hergé', 'BD', 1960, 62),
  (6, 'Randonnées dans le massif de la Clape', 'Collectif', 'documentaire', 2020, 128),
  (7, 'Madame Bovary', 'Gustave Flaubert', 'roman', 1857, 480),
  (8, 'Chourmo', 'Jean-Claude Izzo', 'policier', 1996, 300),
  (9, 'Le Journal d''Anne Frank', 'Anne Frank', 'documentaire', 1947, 352),
  (10, 'Bonjour tristesse', 'Françoise Sagan', 'roman', 1954, 188),
  (11, 'Les Cathares, histoire d''une Église', 'Collectif', 'documentaire', 2015, 248),
  (12, 'Le Horla', 'Guy de Maupassant', 'roman', 1887, 96);

INSERT INTO adherents (id, prenom, nom, commune, inscription) VALUES
  (1, 'Sarah', 'Benoît', 'Coursan', '2023-02-10'),
  (2, 'Paul', 'Vergnes', 'Narbonne', '2020-05-19'),
  (3, 'Yasmine', 'Cherif', 'Coursan', '2025-03-08'),
  (4, 'Bernard', 'Alibert', 'Vinassan', '2017-09-23'),
  (5, 'Léa', 'Fontaine', 'Coursan', '2024-12-01'),
  (6, 'Ibrahim', 'Keita', 'Cuxac-d''Aude', '2022-07-14'),
  (7, 'Agnès', 'Roux', 'Coursan', '2019-11-06');

INSERT INTO prets (id, livre_id, adherent_id, date_pret, date_retour) VALUES
  (1, 2, 1, '2026-03-06', '2026-03-25'),
  (2, 3, 2, '2026-03-09', '2026-03-30'),
  (3, 4, 3, '2026-03-12', '2026-03-25'),
  (4, 5, 5, '2026-03-13', '2026-03-19'),
  (5, 7, 6, '2026-03-22', '2026-03-27'),
  (6, 8, 2, '2026-03-23', '2026-04-08'),
  (7, 9, 3, '2026-03-29', '2026-04-17'),
  (8, 10, 3, '2026-04-03', '2026-04-20'),
  (9, 11, 5, '2026-04-10', '2026-05-01'),
  (10, 11, 2, '2026-04-17', '2026-04-27'),
  (11, 5, 2, '2026-04-18', '2026-04-23'),
  (12, 8, 2, '2026-04-21', '2026-05-01'),
  (13, 11, 2, '2026-04-26', '2026-05-17'),
  (14, 11, 3, '2026-05-06', '2026-06-01'),
  (15, 4, 6, '2026-05-10', '2026-05-29'),
  (16, 9, 3, '2026-05-15', '2026-06-12'),
  (17, 8, 6, '2026-05-18', '2026-06-03'),
  (18, 10, 3, '2026-05-22', NULL),
  (19, 9, 3, '2026-05-26', '2026-06-14'),
  (20, 11, 2, '2026-05-28', NULL);
