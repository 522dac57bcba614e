-- L'office de tourisme de la Narbonnaise : les hébergements de la côte et de l'arrière-pays.
-- prix_nuit : le prix d'une nuit en euros (NULL : tarif sur demande).
-- etoiles : le classement (NULL : pas classé). animaux : 1 si les animaux sont acceptés, 0 sinon.
-- ouverture : le jour où la saison commence.

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
  (1, 'Hôtel de la Cathédrale', 'hôtel', 'Narbonne', 40, 89.0, 3, 1, 'contact@hotel-cathedrale.fr', '04 68 32 10 10', '2026-01-02'),
  (2, 'Camping Les Mimosas', 'camping', 'Narbonne', 600, 32.0, 4, 1, 'accueil@lesmimosas.fr', '04 68 49 03 72', '2026-03-28'),
  (3, 'Gîte du Pech', 'gîte', 'Armissan', 6, 95.0, NULL, 0, NULL, '06 81 45 22 09', '2026-04-04'),
  (4, 'Camping La Mer Bleue', 'camping', 'Gruissan', 450, 38.5, 3, 1, 'info@lamerbleue.fr', '04 68 49 81 30', '2026-04-11'),
  (5, 'Le Mas Vert', 'chambre d''hôtes', 'Bages', 8, 75.0, NULL, 1, 'lemasvert@exemple.fr', '06 12 98 44 31', '2026-03-14'),
  (6, 'Hôtel du Port', 'hôtel', 'Port-la-Nouvelle', 36, 72.0, 2, 0, 'hotelduport@exemple.fr', '04 68 48 00 65', '2026-02-01'),
  (7, 'Gîte des Salins', 'gîte', 'Gruissan', 4, 68.0, NULL, 1, NULL, '06 33 72 18 40', '2026-04-25'),
  (8, 'Camping Côté Plage', 'camping', 'Leucate', 820, 41.0, 4, 1, 'bonjour@coteplage.fr', '04 68 40 14 27', '2026-04-04'),
  (9, 'Villa Les Pins', 'gîte', 'Fleury', 10, 140.0, NULL, 1, 'villalespins@exemple.fr', '06 50 27 93 16', '2026-05-02'),
  (10, 'Hôtel Le Palais', 'hôtel', 'Narbonne', 64, 120.0, 4, 0, 'reservation@hotel-lepalais.fr', '04 68 65 19 19', '2026-01-02'),
  (11, 'Camping de l''Étang', 'camping', 'Bages', 150, 24.5, 2, 1, NULL, '04 68 41 57 06', '2026-05-01'),
  (12, 'Les Chambres de Sigean', 'chambre d''hôtes', 'Sigean', 9, 62.0, NULL, 0, 'chambres.sigean@exemple.fr', '06 74 11 02 58', '2026-03-21'),
  (13, 'Gîte La Clape', 'gîte', 'Vinassan', 5, 55.0, NULL, 1, 'gitelaclape@exemple.fr', '06 28 40 66 73', '2026-04-18'),
  (14, 'Hôtel de la Plage', 'hôtel', 'Gruissan', 50, 98.0, 3, 1, 'hoteldelaplage@exemple.fr', '04 68 49 22 50', '2026-03-07'),
  (15, 'Camping Les Ayguades', 'camping', 'Gruissan', 380, 35.0, 3, 0, 'ayguades@exemple.fr', '04 68 49 46 10', '2026-04-11'),
  (16, 'Gîte de l''Étang', 'gîte', 'Peyriac-de-Mer', 3, 59.0, NULL, 0, NULL, '06 91 30 25 84', '2026-04-01'),
  (17, 'Mas des Vignes', 'chambre d''hôtes', 'Coursan', 12, NULL, NULL, 1, 'masdesvignes@exemple.fr', '06 47 85 20 13', '2026-04-04'),
  (18, 'Hôtel La Résidence', 'hôtel', 'Narbonne', 52, 110.0, 3, 1, 'laresidence@exemple.fr', '04 68 32 19 41', '2026-01-02'),
  (19, 'Camping Les Sables', 'camping', 'Port-la-Nouvelle', 280, 29.0, 2, 1, 'lessables@exemple.fr', '04 68 48 37 75', '2026-04-25'),
  (20, 'Gîte Plage Saint-Pierre', 'gîte', 'Fleury', 7, 82.0, NULL, 1, 'gite.stpierre@exemple.fr', '06 15 62 80 47', '2026-05-16'),
  (21, 'Camping Le Soleil', 'camping', 'Fleury', 520, 44.0, 5, 1, 'campinglesoleil@exemple.fr', '04 68 33 61 08', '2026-04-04'),
  (22, 'Les Terrasses de Leucate', 'chambre d''hôtes', 'Leucate', 11, 70.0, NULL, 0, NULL, '06 62 09 74 35', '2026-03-28'),
  (23, 'Hôtel des Flamants', 'hôtel', 'Leucate', 30, 85.0, NULL, 1, 'flamants@exemple.fr', '04 68 40 90 12', '2026-03-01');
