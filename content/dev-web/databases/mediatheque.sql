-- La médiathèque de Coursan : ses livres, ses adhérents et leurs prêts.
-- prets.date_retour vaut NULL tant que le livre n'est pas rendu.

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
  (1, 'L''Étranger', 'Albert Camus', 'roman', 1942, 184),
  (2, 'Le Petit Prince', 'Antoine de Saint-Exupéry', 'jeunesse', 1943, 96),
  (3, 'La Vérité sur l''affaire Harry Quebert', 'Joël Dicker', 'policier', 2012, 670),
  (4, 'Pars vite et reviens tard', 'Fred Vargas', 'policier', 2001, 352),
  (5, 'Astérix le Gaulois', 'René Goscinny et Albert Uderzo', 'BD', 1961, 48),
  (6, 'Le Canal du Midi à vélo', 'Collectif', 'documentaire', 2019, 160),
  (7, 'Le Comte de Monte-Cristo (tome 1)', 'Alexandre Dumas', 'roman', 1844, 720),
  (8, 'Ensemble, c''est tout', 'Anna Gavalda', 'roman', 2004, 608),
  (9, 'Total Khéops', 'Jean-Claude Izzo', 'policier', 1995, 286),
  (10, 'L''Arabe du futur', 'Riad Sattouf', 'BD', 2014, 158),
  (11, 'Mortelle Adèle', 'Mr Tan et Miss Prickly', 'jeunesse', 2012, 46),
  (12, 'La cuisine du Languedoc', 'Collectif', 'documentaire', 2021, 224),
  (13, 'Le Mystère de la chambre jaune', 'Gaston Leroux', 'policier', 1907, 320),
  (14, 'Le Grand Meaulnes', 'Alain-Fournier', 'roman', 1913, 290),
  (15, 'Oiseaux des étangs et du littoral', 'Collectif', 'documentaire', 2018, 192),
  (16, 'Les Trois Mousquetaires', 'Alexandre Dumas', 'roman', 1844, 864);

INSERT INTO adherents (id, prenom, nom, commune, inscription) VALUES
  (1, 'Lina', 'Haddad', 'Narbonne', '2024-09-14'),
  (2, 'Gérard', 'Fournier', 'Coursan', '2019-03-02'),
  (3, 'Camille', 'Rouquet', 'Coursan', '2025-01-20'),
  (4, 'Mamadou', 'Sow', 'Cuxac-d''Aude', '2023-06-11'),
  (5, 'Élodie', 'Marty', 'Salles-d''Aude', '2022-10-05'),
  (6, 'Noah', 'Ferrand', 'Coursan', '2025-09-01'),
  (7, 'Jeanne', 'Castel', 'Narbonne', '2018-01-15'),
  (8, 'Rayan', 'Belkacem', 'Coursan', '2026-02-03'),
  (9, 'Martine', 'Sanchez', 'Fleury', '2021-04-27'),
  (10, 'Hugo', 'Lacombe', 'Coursan', '2024-11-30');

INSERT INTO prets (id, livre_id, adherent_id, date_pret, date_retour) VALUES
  (1, 1, 1, '2026-01-05', '2026-01-10'),
  (2, 2, 2, '2026-01-06', '2026-01-27'),
  (3, 3, 3, '2026-01-07', '2026-01-19'),
  (4, 4, 4, '2026-01-08', '2026-01-27'),
  (5, 5, 5, '2026-01-13', '2026-02-02'),
  (6, 7, 7, '2026-01-17', '2026-02-08'),
  (7, 8, 9, '2026-01-18', '2026-01-30'),
  (8, 9, 10, '2026-01-20', '2026-02-05'),
  (9, 10, 2, '2026-01-22', '2026-02-03'),
  (10, 12, 7, '2026-01-31', '2026-02-26'),
  (11, 13, 1, '2026-02-01', '2026-02-13'),
  (12, 14, 10, '2026-02-03', '2026-02-17'),
  (13, 15, 1, '2026-02-06', '2026-02-24'),
  (14, 13, 2, '2026-02-08', '2026-02-16'),
  (15, 13, 3, '2026-02-14', '2026-03-14'),
  (16, 2, 5, '2026-02-20', '2026-03-20'),
  (17, 14, 7, '2026-02-22', '2026-03-21'),
  (18, 8, 2, '2026-02-23', '2026-03-16'),
  (19, 4, 1, '2026-03-01', '2026-03-15'),
  (20, 12, 5, '2026-03-03', '2026-03-23'),
  (21, 8, 2, '2026-03-06', '2026-03-29'),
  (22, 9, 1, '2026-03-08', '2026-03-20'),
  (23, 8, 9, '2026-03-09', '2026-04-04'),
  (24, 7, 3, '2026-03-14', '2026-04-05'),
  (25, 14, 1, '2026-03-18', '2026-04-03'),
  (26, 9, 2, '2026-03-23', NULL),
  (27, 15, 2, '2026-03-24', NULL),
  (28, 7, 9, '2026-03-27', NULL),
  (29, 9, 1, '2026-03-29', NULL),
  (30, 12, 7, '2026-03-30', NULL);
