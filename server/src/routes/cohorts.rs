//! Cohorts and accounts, as JSON: an administrator creates trainers; a
//! trainer creates cohorts and pupils' accounts (by name or from a CSV
//! file), resets a pupil's password, unlocks a learner's login, takes a
//! learner out (a pupil's account is deleted, an adult only leaves),
//! closes, renews or sets a last day to the join code, deletes a cohort;
//! learners join with a code; pupils join and log in with the code, their
//! name and a password. Resets and deletions go to the audit log.
//!
//! Who may do what is decided here, in [`followed_cohort`] and
//! [`cohort_learner`]: a trainer sees only the cohorts they run (another
//! one's is "not found"), an administrator sees all, a learner none.

use crate::auth::throttle::pupil_key;
use crate::auth::{CurrentUser, check_csrf, log_in, login, password};
use crate::db::cohorts::{Cohort, CohortError, Member, NewCohort};
use crate::db::personal_data::cohort_subject;
use crate::db::users::{CreateUserError, Role, User};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::trainers::{csv, passphrase};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/admin/trainers", post(create_trainer))
        .route("/api/cohorts", get(list).post(create))
        .route("/api/cohorts/join", post(join))
        .route("/api/cohorts/{id}", get(show).delete(delete_cohort_api))
        .route("/api/cohorts/{id}/join-code", put(set_joining_api))
        .route("/api/cohorts/{id}/join-code/renew", post(renew_code_api))
        .route("/api/cohorts/{id}/pupils", post(add_pupils))
        .route("/api/cohorts/{id}/pupils/import", post(import_pupils))
        .route(
            "/api/cohorts/{id}/learners/{learner}/password",
            post(reset_password),
        )
        .route("/api/cohorts/{id}/learners/{learner}/unlock", post(unlock))
        .route(
            "/api/cohorts/{id}/learners/{learner}",
            delete(delete_learner),
        )
        .route("/api/pupils/join", post(pupil_join))
        .route("/api/pupils/login", post(pupil_login))
}

/// Refuses learners: only trainers and administrators follow cohorts.
pub fn require_staff(user: &User) -> Result<(), AppError> {
    match user.role {
        Role::Admin | Role::Trainer => Ok(()),
        Role::Learner => Err(AppError::Forbidden(
            "cette page est réservée aux formateurs et formatrices".into(),
        )),
    }
}

/// The cohort `id`, if `user` follows it: any for an administrator, the
/// ones they run for a trainer. Another trainer's cohort is not found.
pub async fn followed_cohort(state: &AppState, user: &User, id: i64) -> Result<Cohort, AppError> {
    require_staff(user)?;
    let not_found = || AppError::NotFound(format!("pas de groupe n° {id}"));
    if user.role == Role::Trainer && !state.db.runs_cohort(user.id, id).await? {
        return Err(not_found());
    }
    state.db.cohort(id).await?.ok_or_else(not_found)
}

/// A learner of a cohort `user` follows; anyone else is not found.
pub async fn cohort_learner(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    learner_id: i64,
) -> Result<(Cohort, Member), AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let member = state
        .db
        .members(cohort.id)
        .await?
        .into_iter()
        .find(|m| m.id == learner_id)
        .ok_or_else(|| {
            AppError::NotFound(format!("pas d'apprenant n° {learner_id} dans ce groupe"))
        })?;
    Ok((cohort, member))
}

#[derive(Debug, Deserialize)]
struct NewTrainer {
    email: String,
    name: String,
    password: String,
}

async fn create_trainer(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(form): ApiJson<NewTrainer>,
) -> Result<(StatusCode, Json<User>), AppError> {
    check_csrf(&session, &headers, None).await?;
    if user.role != Role::Admin {
        return Err(AppError::Forbidden(
            "seuls les administrateurs créent des comptes de formateur".into(),
        ));
    }
    let trainer = new_trainer(&state, &form.email, &form.name, &form.password).await?;
    Ok((StatusCode::CREATED, Json(trainer)))
}

/// Creates a trainer's account (the form's or the API's fields, checked).
pub async fn new_trainer(
    state: &AppState,
    email: &str,
    name: &str,
    new_password: &str,
) -> Result<User, AppError> {
    let email = password::normalize_email(email)?;
    let name = password::normalize_name(name)?;
    password::validate_new(new_password)?;
    let hash = password::hash(new_password).await?;
    state
        .db
        .create_user(&email, &name, &hash, Role::Trainer)
        .await
        .map_err(|err| match err {
            CreateUserError::EmailTaken => {
                AppError::Conflict("cette adresse e-mail a déjà un compte".into())
            }
            CreateUserError::Database(err) => err.into(),
        })
}

/// A cohort as the API shows it, with the link learners join by.
#[derive(Debug, Serialize)]
struct CohortView {
    #[serde(flatten)]
    cohort: Cohort,
    join_path: String,
}

impl CohortView {
    fn of(cohort: Cohort) -> CohortView {
        CohortView {
            join_path: join_path(&cohort.join_code),
            cohort,
        }
    }
}

/// The path of a cohort's join page.
pub fn join_path(code: &str) -> String {
    format!("/rejoindre?code={code}")
}

async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<Json<Vec<CohortView>>, AppError> {
    require_staff(&user)?;
    let trainer = (user.role == Role::Trainer).then_some(user.id);
    let cohorts = state.db.cohorts_run_by(trainer).await?;
    Ok(Json(cohorts.into_iter().map(CohortView::of).collect()))
}

/// A new cohort, as a form or the API sends it.
#[derive(Debug, Deserialize)]
pub struct CohortForm {
    pub name: String,
    pub tracks: Vec<String>,
    #[serde(default)]
    pub starts_on: Option<String>,
    #[serde(default)]
    pub ends_on: Option<String>,
}

/// Letters and digits that cannot be mistaken for one another.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
const CODE_LENGTH: usize = 6;

fn random_u32() -> Result<u32, AppError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(AppError::internal)?;
    Ok(u32::from_le_bytes(bytes))
}

fn new_join_code() -> Result<String, AppError> {
    (0..CODE_LENGTH)
        .map(|_| {
            // 2^32 is not a multiple of the alphabet's size, but the bias
            // (under 10^-8) does not matter for a join code.
            let index = random_u32()? as usize % CODE_ALPHABET.len();
            Ok(char::from(CODE_ALPHABET[index]))
        })
        .collect()
}

/// A password made of simple words, for a pupil.
pub fn new_pupil_password() -> Result<String, AppError> {
    let mut failed = None;
    let password = passphrase::generate(&mut || {
        random_u32().unwrap_or_else(|err| {
            failed = Some(err);
            0
        })
    });
    match failed {
        Some(err) => Err(err),
        None => Ok(password),
    }
}

/// A date `YYYY-MM-DD`, or nothing when blank.
fn optional_date(value: Option<&str>, what: &str) -> Result<Option<String>, AppError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(value, &format)
        .map(|_| Some(value.to_owned()))
        .map_err(|_| AppError::BadRequest(format!("la date de {what} doit s'écrire AAAA-MM-JJ")))
}

/// Whether people may join a cohort with its code, and until when.
#[derive(Debug, Deserialize)]
pub struct Joining {
    pub open: bool,
    /// The last day people may join (YYYY-MM-DD), or none.
    #[serde(default)]
    pub until: Option<String>,
}

/// Opens or closes joining with a cohort's code, and sets its last day.
/// Pupils keep logging in with the code.
pub async fn set_joining(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    joining: &Joining,
) -> Result<Cohort, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let until = optional_date(joining.until.as_deref(), "fin des inscriptions")?;
    state
        .db
        .set_joining(cohort.id, joining.open, until.as_deref())
        .await?;
    followed_cohort(state, user, cohort_id).await
}

/// Gives a cohort a new join code: the old one no longer lets anyone
/// join, nor pupils log in (they use the new one).
pub async fn renew_join_code(
    state: &AppState,
    user: &User,
    cohort_id: i64,
) -> Result<Cohort, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    with_free_code(|code| async move { state.db.renew_join_code(cohort.id, &code).await }).await?;
    followed_cohort(state, user, cohort_id).await
}

async fn set_joining_api(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(joining): ApiJson<Joining>,
) -> Result<Json<CohortView>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = set_joining(&state, &user, id, &joining).await?;
    Ok(Json(CohortView::of(cohort)))
}

async fn renew_code_api(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<CohortView>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = renew_join_code(&state, &user, id).await?;
    Ok(Json(CohortView::of(cohort)))
}

/// Creates a cohort run by `user`, its form checked.
pub async fn new_cohort(
    state: &AppState,
    user: &User,
    form: &CohortForm,
) -> Result<Cohort, AppError> {
    require_staff(user)?;
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(
            "le nom du groupe doit faire entre 1 et 100 caractères".into(),
        ));
    }
    if form.tracks.is_empty() {
        return Err(AppError::BadRequest("choisis au moins un parcours".into()));
    }
    let mut tracks: Vec<String> = Vec::new();
    for track in &form.tracks {
        if state.catalog.track(track).is_none() {
            return Err(AppError::BadRequest(format!("pas de parcours « {track} »")));
        }
        if !tracks.contains(track) {
            tracks.push(track.clone());
        }
    }
    let starts_on = optional_date(form.starts_on.as_deref(), "début")?;
    let ends_on = optional_date(form.ends_on.as_deref(), "fin")?;
    if let (Some(start), Some(end)) = (&starts_on, &ends_on)
        && end < start
    {
        return Err(AppError::BadRequest(
            "la date de fin est avant la date de début".into(),
        ));
    }
    let (starts_on, ends_on, tracks) = (starts_on.as_deref(), ends_on.as_deref(), &tracks);
    with_free_code(|code| async move {
        let new = NewCohort {
            name,
            join_code: &code,
            starts_on,
            ends_on,
            tracks,
        };
        state.db.create_cohort(user.id, &new).await
    })
    .await
}

/// Runs `attempt` with a new join code, and again with another while the
/// one drawn is taken (rare: 31^6 codes).
async fn with_free_code<T, F, Fut>(mut attempt: F) -> Result<T, AppError>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<T, CohortError>>,
{
    for _ in 0..5 {
        match attempt(new_join_code()?).await {
            Ok(value) => return Ok(value),
            Err(CohortError::CodeTaken) => continue,
            Err(err) => return Err(AppError::internal(err)),
        }
    }
    Err(AppError::internal("no free join code after 5 draws"))
}

async fn create(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(form): ApiJson<CohortForm>,
) -> Result<(StatusCode, Json<CohortView>), AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = new_cohort(&state, &user, &form).await?;
    Ok((StatusCode::CREATED, Json(CohortView::of(cohort))))
}

#[derive(Debug, Serialize)]
struct CohortDetails {
    #[serde(flatten)]
    cohort: CohortView,
    members: Vec<Member>,
}

async fn show(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<CohortDetails>, AppError> {
    let cohort = followed_cohort(&state, &user, id).await?;
    let members = state.db.members(cohort.id).await?;
    Ok(Json(CohortDetails {
        cohort: CohortView::of(cohort),
        members,
    }))
}

#[derive(Debug, Deserialize)]
struct JoinCode {
    code: String,
}

/// The cohort of a join code, or 404 with a message for the learner.
pub async fn cohort_of_code(state: &AppState, code: &str) -> Result<Cohort, AppError> {
    state.db.cohort_by_code(code).await?.ok_or_else(|| {
        AppError::NotFound(
            "ce code ne correspond à aucun groupe : vérifie-le avec ton formateur ou ta formatrice"
                .into(),
        )
    })
}

#[derive(Debug, Serialize)]
struct Joined {
    id: i64,
    name: String,
}

async fn join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(form): ApiJson<JoinCode>,
) -> Result<Json<Joined>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = join_cohort(&state, &user, &form.code, address.ip()).await?;
    Ok(Json(Joined {
        id: cohort.id,
        name: cohort.name,
    }))
}

/// The cohort of `code`, if people may join it today. Lookups are
/// throttled per address: unknown codes count, so that codes cannot be
/// guessed.
pub async fn joinable_cohort(
    state: &AppState,
    code: &str,
    address: IpAddr,
) -> Result<Cohort, AppError> {
    let lookup = state
        .throttle
        .code_lookup(address)
        .map_err(AppError::TooManyRequests)?;
    let cohort = cohort_of_code(state, code).await?;
    lookup.found();
    if !cohort.joinable_on(&today()) {
        return Err(AppError::Forbidden(
            "ce code ne permet plus de rejoindre le groupe : demande le code à jour à ton formateur ou ta formatrice".into(),
        ));
    }
    Ok(cohort)
}

/// Today's date, YYYY-MM-DD (UTC).
pub fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc()
        .date()
        .format(&format)
        .unwrap_or_default()
}

/// Adds a signed-in adult learner to the cohort of `code`. Trainers and
/// administrators do not join cohorts as learners.
pub async fn join_cohort(
    state: &AppState,
    user: &User,
    code: &str,
    address: IpAddr,
) -> Result<Cohort, AppError> {
    if user.role != Role::Learner {
        return Err(AppError::Forbidden(
            "un compte de formateur ou d'administrateur ne rejoint pas un groupe comme apprenant : un formateur de ce groupe peut t'y ajouter comme formateur".into(),
        ));
    }
    let cohort = joinable_cohort(state, code, address).await?;
    if user.pupil_cohort_id.is_some_and(|id| id != cohort.id) {
        return Err(AppError::Forbidden(
            "un compte d'élève appartient à une seule classe".into(),
        ));
    }
    state.db.add_member(cohort.id, user.id).await?;
    Ok(cohort)
}

#[derive(Debug, Deserialize)]
pub struct PupilForm {
    pub code: String,
    pub name: String,
    pub password: String,
}

#[derive(Debug, Serialize)]
struct SignedIn {
    user: User,
    csrf_token: String,
}

/// Creates a pupil's account in the cohort of the form's code: at most
/// `--pupils-per-code-per-hour` an hour join that way.
pub async fn new_pupil(
    state: &AppState,
    form: &PupilForm,
    address: IpAddr,
) -> Result<User, AppError> {
    let cohort = joinable_cohort(state, &form.code, address).await?;
    let name = csv::clean_name(&form.name).map_err(AppError::BadRequest)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password).await?;
    let per_hour = i64::from(state.settings.pupils_per_code_per_hour);
    match state
        .db
        .join_as_pupil(cohort.id, &name, &hash, per_hour)
        .await
    {
        Ok(user) => Ok(user),
        Err(CohortError::NameTaken(name)) => Err(AppError::Conflict(format!(
            "le nom « {name} » est déjà pris dans ce groupe : ajoute l'initiale de ton nom, ou connecte-toi si c'est toi"
        ))),
        Err(CohortError::JoinLimit) => Err(AppError::JoinLimit),
        Err(err) => Err(AppError::internal(err)),
    }
}

async fn pupil_join(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<PupilForm>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let user = new_pupil(&state, &form, address.ip()).await?;
    let csrf_token = log_in(&session, &user).await?;
    Ok((StatusCode::CREATED, Json(SignedIn { user, csrf_token })))
}

/// The pupil a form names, if the password is theirs (throttled like
/// adults' logins: see `auth/login.rs`).
pub async fn pupil_of_form(
    state: &AppState,
    address: SocketAddr,
    form: &PupilForm,
) -> Result<User, AppError> {
    login::pupil(state, address.ip(), &form.code, &form.name, &form.password).await
}

async fn pupil_login(
    State(state): State<AppState>,
    ConnectInfo(address): ConnectInfo<SocketAddr>,
    session: Session,
    ApiJson(form): ApiJson<PupilForm>,
) -> Result<Json<SignedIn>, AppError> {
    let user = pupil_of_form(&state, address, &form).await?;
    let csrf_token = log_in(&session, &user).await?;
    Ok(Json(SignedIn { user, csrf_token }))
}

/// A pupil's account with its new password, to print on a login card.
#[derive(Debug, Clone, Serialize)]
pub struct LoginCard {
    pub id: i64,
    pub name: String,
    pub password: String,
}

/// Creates pupils' accounts with generated passwords, all or none.
pub async fn create_pupils(
    state: &AppState,
    cohort: &Cohort,
    names: Vec<String>,
) -> Result<Vec<LoginCard>, AppError> {
    if names.is_empty() {
        return Err(AppError::BadRequest("donne au moins un nom".into()));
    }
    let passwords = names
        .iter()
        .map(|_| new_pupil_password())
        .collect::<Result<Vec<_>, _>>()?;
    let hashes = password::hash_all(passwords.clone()).await?;
    let accounts: Vec<(String, String)> = names.into_iter().zip(hashes).collect();
    let users = match state.db.create_pupils(cohort.id, &accounts).await {
        Ok(users) => users,
        Err(CohortError::NameTaken(name)) => {
            return Err(AppError::Conflict(format!(
                "le nom « {name} » est déjà pris dans ce groupe : ajoute une initiale"
            )));
        }
        Err(err) => return Err(AppError::internal(err)),
    };
    Ok(users
        .into_iter()
        .zip(passwords)
        .map(|(user, password)| LoginCard {
            id: user.id,
            name: user.name,
            password,
        })
        .collect())
}

#[derive(Debug, Deserialize)]
struct Names {
    names: Vec<String>,
}

async fn add_pupils(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(form): ApiJson<Names>,
) -> Result<(StatusCode, Json<Vec<LoginCard>>), AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = followed_cohort(&state, &user, id).await?;
    let mut names = Vec::with_capacity(form.names.len());
    for name in &form.names {
        names.push(csv::clean_name(name).map_err(AppError::BadRequest)?);
    }
    let cards = create_pupils(&state, &cohort, names).await?;
    Ok((StatusCode::CREATED, Json(cards)))
}

/// The names of a CSV file, or every bad line.
pub fn names_of_csv(bytes: &[u8]) -> Result<Vec<String>, AppError> {
    csv::parse_names(bytes)
        .map(|names| names.into_iter().map(|n| n.name).collect())
        .map_err(|errors| {
            AppError::InvalidFile(errors.into_iter().map(|e| (e.line, e.message)).collect())
        })
}

async fn import_pupils(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<(StatusCode, Json<Vec<LoginCard>>), AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = followed_cohort(&state, &user, id).await?;
    let names = names_of_csv(&body)?;
    let cards = create_pupils(&state, &cohort, names).await?;
    Ok((StatusCode::CREATED, Json(cards)))
}

/// A new password for a pupil of a cohort `user` follows.
pub async fn new_password_for(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    learner_id: i64,
) -> Result<LoginCard, AppError> {
    let (cohort, member) = cohort_learner(state, user, cohort_id, learner_id).await?;
    if !member.pupil {
        return Err(AppError::Conflict(
            "seuls les mots de passe des élèves (sans e-mail) se réinitialisent ici".into(),
        ));
    }
    let generated = new_pupil_password()?;
    state
        .db
        .set_password_hash(member.id, &password::hash(&generated).await?)
        .await?;
    // Whoever was signed in with the old password is signed out.
    state.db.end_sessions(member.id, None).await?;
    state.throttle.unlock(&throttle_key(&cohort, &member));
    audit(
        state,
        user,
        "mot de passe réinitialisé",
        &format!("{} ({})", member.name, cohort_subject(&cohort)),
    )
    .await?;
    Ok(LoginCard {
        id: member.id,
        name: member.name,
        password: generated,
    })
}

/// The key a learner's logins are throttled under.
fn throttle_key(cohort: &Cohort, member: &Member) -> String {
    match &member.email {
        Some(email) => email.clone(),
        None => pupil_key(cohort.id, &member.name),
    }
}

/// Lets a learner of a cohort `user` follows log in again without delay:
/// the failed attempts on their account are forgotten (by this server,
/// which throttles in memory).
pub async fn unlock_learner(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    learner_id: i64,
) -> Result<(), AppError> {
    let (cohort, member) = cohort_learner(state, user, cohort_id, learner_id).await?;
    state.throttle.unlock(&throttle_key(&cohort, &member));
    Ok(())
}

async fn unlock(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    unlock_learner(&state, &user, id, learner).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset_password(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<Json<LoginCard>, AppError> {
    check_csrf(&session, &headers, None).await?;
    Ok(Json(new_password_for(&state, &user, id, learner).await?))
}

/// Takes a learner out of a cohort `user` follows. A pupil's account,
/// which belongs to the cohort, is deleted with everything stored about
/// it; an adult only leaves the cohort, and keeps their account and the
/// work done elsewhere (only the administrator deletes an adult's account).
pub async fn delete_cohort_learner(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    learner_id: i64,
) -> Result<(), AppError> {
    let (cohort, member) = cohort_learner(state, user, cohort_id, learner_id).await?;
    let learner = state.db.user_by_id(member.id).await?;
    if learner.is_some_and(|l| l.role != Role::Learner) {
        return Err(AppError::Forbidden(
            "seuls les comptes d'apprenants se suppriment ici".into(),
        ));
    }
    let subject = format!("{} ({})", member.name, cohort_subject(&cohort));
    if member.pupil {
        state.db.delete_user(member.id).await?;
        audit(state, user, "compte d'élève supprimé", &subject).await
    } else {
        state.db.remove_member(cohort.id, member.id).await?;
        audit(state, user, "apprenant retiré du groupe", &subject).await
    }
}

/// Records what `user` did in the audit log.
pub async fn audit(
    state: &AppState,
    user: &User,
    action: &str,
    subject: &str,
) -> Result<(), AppError> {
    Ok(state
        .db
        .audit(Some((user.id, &user.name)), action, subject)
        .await?)
}

/// How many pupils' accounts a confirmation of a cohort's deletion names.
#[derive(Debug, Deserialize)]
pub struct DeletionConfirmed {
    pub accounts: u64,
}

/// Deletes a cohort `user` follows, with its pupils' accounts and their
/// data, once the confirmation names how many accounts that is.
pub async fn delete_cohort(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    confirmed: &DeletionConfirmed,
) -> Result<u64, AppError> {
    let cohort = followed_cohort(state, user, cohort_id).await?;
    let pupils = state.db.count_pupils(cohort.id).await?;
    if confirmed.accounts != pupils {
        return Err(AppError::Conflict(format!(
            "supprimer ce groupe supprime aussi {pupils} compte(s) d'élève et tout leur travail : confirme ce nombre"
        )));
    }
    let deleted = state.db.delete_cohort(cohort.id).await?;
    audit(
        state,
        user,
        "groupe supprimé",
        &format!("{}, {deleted} compte(s) d'élève", cohort_subject(&cohort)),
    )
    .await?;
    Ok(deleted)
}

async fn delete_cohort_api(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(confirmed): ApiJson<DeletionConfirmed>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    delete_cohort(&state, &user, id, &confirmed).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn delete_learner(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    Path((id, learner)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    check_csrf(&session, &headers, None).await?;
    delete_cohort_learner(&state, &user, id, learner).await?;
    Ok(StatusCode::NO_CONTENT)
}
