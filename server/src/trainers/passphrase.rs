//! Passphrases that pupils can type: three simple French words and a number,
//! for example `lune-cheval-pomme-42`.
//!
//! The words are lowercase ASCII nouns (animals, fruits, everyday objects,
//! nature) that are spelled without accents in French, so nobody has to hunt
//! for `é` on an unfamiliar keyboard. The three words of a passphrase are
//! always distinct, followed by a number from 10 to 99, which gives
//! `401 × 400 × 399 × 90` ≈ 2^32 possibilities and at least 17 characters.
//!
//! Randomness comes from the caller (the server passes a closure backed by the
//! operating system's generator); indices are drawn by rejection sampling so
//! that every word is exactly as likely as every other.

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

/// Generates a passphrase such as `lune-cheval-pomme-42`.
///
/// `random` must return uniformly distributed `u32` values (for instance from
/// `getrandom`). It is called at least four times, a few more only in the
/// rare case a draw is rejected to avoid modulo bias.
pub fn generate(random: &mut impl FnMut() -> u32) -> String {
    let n = WORDS.len() as u32;
    let first = below(random, n);
    let second = skip(below(random, n - 1), &[first]);
    let third = skip(below(random, n - 2), &[first, second]);
    let number = 10 + below(random, 90);
    let mut out = String::with_capacity(32);
    for index in [first, second, third] {
        out.push_str(WORDS[index as usize]);
        out.push(SEPARATOR);
    }
    out.push_str(&number.to_string());
    out
}

/// Maps an index drawn among the `n - taken.len()` remaining words to an index
/// among all `n` words, stepping over the ones already `taken`.
fn skip(mut index: u32, taken: &[u32]) -> u32 {
    let mut taken = taken.to_vec();
    taken.sort_unstable();
    for t in taken {
        if index >= t {
            index += 1;
        }
    }
    index
}

/// Returns a uniformly distributed integer in `0..bound` (`bound > 0`).
///
/// Values below `2^32 mod bound` are rejected: what remains is an exact
/// multiple of `bound`, so `value % bound` is unbiased. At most
/// `bound / 2^32` of the draws are rejected (none when `bound` is a power of
/// two).
fn below(random: &mut impl FnMut() -> u32, bound: u32) -> u32 {
    debug_assert!(bound > 0);
    // 2^32 mod bound, computed without overflowing u32.
    let threshold = bound.wrapping_neg() % bound;
    loop {
        let value = random();
        if value >= threshold {
            return value % bound;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// A random source that replays `values` in order, and panics if asked
    /// for more: tests then know exactly how many draws were made.
    fn replay<const N: usize>(values: [u32; N]) -> impl FnMut() -> u32 {
        let mut iter = values.into_iter();
        move || iter.next().expect("the test ran out of random values")
    }

    /// A small deterministic generator (xorshift32) to produce many samples.
    fn xorshift(mut state: u32) -> impl FnMut() -> u32 {
        move || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        }
    }

    /// Checks the shape `word-word-word-NN` without regular expressions and
    /// returns the three words.
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
    fn deterministic_sequence_gives_the_expected_passphrase() {
        // 0 -> WORDS[0]; 0 among the 400 others -> WORDS[1]; 0 among the 399
        // others -> WORDS[2]; 0 -> 10.
        // 2^32 mod 401, 400, 399 and 90 are 255, 96, 25 and 76, so zeros
        // would be rejected; 401, 400, 399 and 90 are accepted and are 0
        // modulo their bound.
        let mut random = replay([401, 400, 399, 90]);
        assert_eq!(generate(&mut random), "chat-chien-lapin-10");

        // Values that wrap around: the largest u32 is never rejected.
        let mut random = replay([u32::MAX, u32::MAX, u32::MAX, u32::MAX]);
        // u32::MAX % 401 = 254, % 400 = 95, % 399 = 24, % 90 = 75.
        // 95 among the words other than 254 is 95; 24 among the words other
        // than 95 and 254 is 24.
        let expected = format!("{}-{}-{}-85", WORDS[254], WORDS[95], WORDS[24]);
        assert_eq!(generate(&mut random), expected);
    }

    #[test]
    fn rejected_draws_are_skipped() {
        // The first draw (5) is below 2^32 mod 401 = 255 and must be thrown
        // away (accepting it would favour the lowest indices); 401 + 7 then
        // selects WORDS[7]. The next words are the first ones of the list
        // that are not WORDS[7].
        let mut random = replay([5, 401 + 7, 400, 399, 90 + 42]);
        assert_eq!(generate(&mut random), format!("{}-chat-chien-52", WORDS[7]));
    }

    #[test]
    fn sampler_covers_the_whole_range_without_bias() {
        for bound in [1u32, 2, 3, 7, 90, 255, 256, 399, 400, 401, u32::MAX] {
            let threshold = ((1u64 << 32) % u64::from(bound)) as u32;
            assert_eq!(bound.wrapping_neg() % bound, threshold);
            // Below the threshold, draws are rejected...
            if threshold > 0 {
                let mut random = replay([threshold - 1, threshold]);
                assert_eq!(below(&mut random, bound), threshold % bound);
            }
            // ...from it up to u32::MAX they are all accepted, and the
            // accepted zone holds each result the same number of times.
            let accepted = (1u64 << 32) - u64::from(threshold);
            assert_eq!(accepted % u64::from(bound), 0, "bound {bound}");
            let mut random = replay([u32::MAX]);
            assert_eq!(below(&mut random, bound), u32::MAX % bound);
        }
        // Every index of a small range is reachable.
        let mut seen = [false; 7];
        let threshold = 7u32.wrapping_neg() % 7;
        for offset in 0..7 {
            let mut random = replay([threshold + offset]);
            seen[below(&mut random, 7) as usize] = true;
        }
        assert!(seen.iter().all(|&s| s));
    }

    #[test]
    fn skip_steps_over_taken_indices_in_order() {
        assert_eq!(skip(0, &[0]), 1);
        assert_eq!(skip(4, &[5]), 4);
        assert_eq!(skip(5, &[5]), 6);
        // Taken indices given in any order.
        assert_eq!(skip(3, &[4, 2]), 5);
        assert_eq!(skip(1, &[4, 2]), 1);
        assert_eq!(skip(2, &[2, 3]), 4);
    }

    #[test]
    fn many_passphrases_have_the_right_shape() {
        let mut random = xorshift(0x2545_f491);
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
