//! Passphrases that pupils can type: three simple French words and a number,
//! for example `lune-cheval-pomme-42`.
//!
//! The words are lowercase ASCII nouns (animals, fruits, everyday objects,
//! nature) that are spelled without accents in French, so nobody has to hunt
//! for `é` on an unfamiliar keyboard. The three words of a passphrase are
//! always distinct, followed by a number from 10 to 99, which gives
//! `401 × 400 × 399 × 90` ≈ 2^32 possibilities and at least 17 characters.
//!
//! Randomness comes from the caller (the server passes `rand::rng()`, a
//! cryptographically secure generator seeded by the operating system); the
//! words are drawn with `rand::seq::index::sample`, so that every word is
//! exactly as likely as every other.

use rand::{Rng, RngExt};

/// Separator between the parts of a passphrase.
const SEPARATOR: char = '-';

/// Common, child-appropriate French nouns of 4 to 7 letters, lowercase ASCII,
/// all distinct. Words that are slang insults, that have two accepted
/// spellings (`oignon`/`ognon`, `clef`/`clé`) or that need an accent were left
/// out on purpose.
const WORDS: [&str; 401] = [
    "chat", "chien", "lapin", "cheval", "mouton", "canard", "loup", "renard", "ours", "tigre",
    "lion", "girafe", "singe", "koala", "panda", "castor", "hibou", "moineau", "merle", "mouette",
    "dauphin", "baleine", "requin", "poisson", "crabe", "tortue", "serpent", "abeille", "fourmi",
    "souris", "hamster", "lama", "bison", "gazelle", "jaguar", "puma", "phoque", "morse",
    "manchot", "otarie", "loutre", "biche", "cerf", "taupe", "furet", "corbeau", "cygne", "kiwi",
    "agneau", "poney", "mulet", "taureau", "canari", "gorille", "criquet", "grillon", "crapaud",
    "saumon", "truite", "sardine", "homard", "pieuvre", "oursin", "hermine", "belette", "faucon",
    "aigle", "vautour", "perdrix", "caille", "pinson", "colombe", "alpaga", "chamois", "tapir",
    "okapi", "orque", "narval", "raie", "gecko", "iguane", "triton", "pomme", "poire", "banane",
    "cerise", "fraise", "prune", "orange", "citron", "melon", "mangue", "raisin", "figue", "datte",
    "ananas", "coco", "olive", "tomate", "carotte", "radis", "navet", "poireau", "chou", "salade",
    "persil", "menthe", "basilic", "poivron", "potiron", "haricot", "avocat", "abricot", "noix",
    "amande", "laitue", "endive", "patate", "pois", "fenouil", "cassis", "goyave", "papaye",
    "kaki", "cacao", "vanille", "muscade", "brocoli", "asperge", "bonbon", "biscuit", "pizza",
    "soupe", "pain", "beurre", "fromage", "miel", "sucre", "sirop", "lait", "galette", "brioche",
    "tartine", "gaufre", "caramel", "nougat", "praline", "compote", "sorbet", "glace", "table",
    "chaise", "lampe", "livre", "stylo", "crayon", "cahier", "gomme", "ciseaux", "colle", "ballon",
    "balle", "moto", "train", "avion", "bateau", "camion", "voiture", "bougie", "miroir",
    "horloge", "montre", "radio", "piano", "guitare", "violon", "tambour", "cloche", "marteau",
    "pinceau", "ruban", "bouton", "chapeau", "bonnet", "gant", "manteau", "botte", "pull", "jupe",
    "robe", "chemise", "panier", "tasse", "verre", "coussin", "tapis", "rideau", "porte", "toit",
    "maison", "cabane", "tente", "tour", "pont", "route", "chemin", "jardin", "parc", "puzzle",
    "domino", "toupie", "cerceau", "sifflet", "loupe", "carte", "globe", "tableau", "craie",
    "bureau", "couette", "drap", "savon", "brosse", "peigne", "bain", "douche", "lavabo",
    "robinet", "seau", "pelle", "corde", "filet", "hamac", "luge", "patin", "kayak", "voile",
    "rame", "ancre", "phare", "parasol", "cadeau", "valise", "tiroir", "carton", "papier",
    "trousse", "compas", "feutre", "pastel", "palette", "toile", "image", "photo", "album",
    "dessin", "peluche", "robot", "jouet", "bille", "cube", "harpe", "tuba", "orgue", "micro",
    "casque", "wagon", "taxi", "tram", "navire", "canot", "radeau", "moteur", "roue", "volant",
    "pneu", "frein", "guidon", "selle", "gilet", "veste", "blouson", "sandale", "tablier",
    "tricot", "collier", "bague", "perle", "plume", "encre", "lettre", "timbre", "colis",
    "journal", "lune", "soleil", "nuage", "pluie", "neige", "vent", "orage", "foudre", "arbre",
    "fleur", "feuille", "herbe", "mousse", "rocher", "caillou", "sable", "plage", "vague", "bois",
    "prairie", "champ", "volcan", "glacier", "grotte", "falaise", "cascade", "marais", "jungle",
    "savane", "rose", "tulipe", "lilas", "lavande", "iris", "jasmin", "muguet", "sapin", "palmier",
    "bambou", "cactus", "saule", "tilleul", "olivier", "pommier", "racine", "branche", "graine",
    "pollen", "nectar", "brume", "givre", "ciel", "aurore", "galaxie", "orbite", "saison", "hiver",
    "automne", "matin", "soir", "minuit", "midi", "colline", "source", "torrent", "canal", "dune",
    "oasis", "lagune", "corail", "algue", "gravier", "argile", "cristal", "silex", "marbre",
    "diamant", "rubis", "saphir", "jade", "ambre", "nuit", "aube", "astre", "cosmos", "ronce",
    "lierre", "bouleau", "platane", "mimosa", "pivoine", "flocon", "verglas", "bruine", "judo",
    "tennis", "rugby", "basket", "course", "danse", "cirque", "clown", "magie", "fanfare",
    "concert", "musique", "chanson",
];

/// Generates a passphrase such as `lune-cheval-pomme-42`: three distinct
/// words, uniformly drawn, and a number from 10 to 99.
pub fn generate(rng: &mut (impl Rng + ?Sized)) -> String {
    let words = rand::seq::index::sample(rng, WORDS.len(), 3);
    let number: u32 = rng.random_range(10..100);
    let mut out = String::with_capacity(32);
    for index in words {
        out.push_str(WORDS[index]);
        out.push(SEPARATOR);
    }
    out.push_str(&number.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A random source that replays `values` in order, and panics if asked
    /// for more: tests then know exactly how many draws were made.
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn split(pass: &str) -> [&str; 3] {
        let parts: Vec<&str> = pass.split(SEPARATOR).collect();
        assert_eq!(parts.len(), 4, "{pass}");
        for word in &parts[..3] {
            assert!(WORDS.contains(word), "{word} is not in the list ({pass})");
        }
        let number = parts[3];
        assert_eq!(number.len(), 2, "{pass}");
        assert!(number.bytes().all(|b| b.is_ascii_digit()), "{pass}");
        let value: u32 = number.parse().unwrap();
        assert!((10..=99).contains(&value), "{pass}");
        [parts[0], parts[1], parts[2]]
    }

    #[test]
    fn word_list_is_distinct_lowercase_ascii_of_four_to_seven_letters() {
        assert!(WORDS.len() >= 256);
        let unique: HashSet<&str> = WORDS.iter().copied().collect();
        assert_eq!(unique.len(), WORDS.len(), "duplicate word in WORDS");
        for word in WORDS {
            assert!(
                word.bytes().all(|b| b.is_ascii_lowercase()),
                "{word} is not lowercase ASCII"
            );
            assert!((4..=7).contains(&word.len()), "{word} has a bad length");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_passphrases() {
        let (mut a, mut b) = (StdRng::seed_from_u64(7), StdRng::seed_from_u64(7));
        let first: Vec<String> = (0..20).map(|_| generate(&mut a)).collect();
        let again: Vec<String> = (0..20).map(|_| generate(&mut b)).collect();
        assert_eq!(first, again);
        let other: Vec<String> = (0..20)
            .map(|_| generate(&mut StdRng::seed_from_u64(8)))
            .collect();
        assert_ne!(first, other);
    }

    #[test]
    fn many_passphrases_have_the_right_shape() {
        let mut random = StdRng::seed_from_u64(0x2545_f491);
        let mut seen_numbers = HashSet::new();
        let mut seen_words = HashSet::new();
        for _ in 0..5_000 {
            let pass = generate(&mut random);
            let words = split(&pass);
            assert!(
                words[0] != words[1] && words[1] != words[2] && words[0] != words[2],
                "{pass} repeats a word"
            );
            assert!(pass.len() >= 17 && pass.len() <= 3 * 7 + 3 + 2, "{pass}");
            assert!(pass.is_ascii());
            seen_numbers.insert(pass.rsplit(SEPARATOR).next().unwrap().to_owned());
            seen_words.extend(words.map(str::to_owned));
        }
        // With 5,000 draws all 90 numbers and almost every word show up.
        assert_eq!(seen_numbers.len(), 90);
        assert!(seen_words.len() > 390, "{}", seen_words.len());
    }
}
