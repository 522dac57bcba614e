//! Cohorts and accounts, as JSON: an administrator creates trainers; a
//! trainer creates cohorts and pupils' accounts (by name or from a CSV
//! file), resets a pupil's password, deletes a learner; learners join with
//! a code; pupils join and log in with the code, their name and a password;
//! every learner can download their own data.
//!
//! Who may do what is decided here, in [`followed_cohort`] and
//! [`cohort_learner`]: a trainer sees only the cohorts they run (another
//! one's is "not found"), an administrator sees all, a learner none.

use crate::auth::{CurrentUser, check_csrf, log_in, password};
use crate::db::cohorts::{Cohort, CohortError, Member, NewCohort};
use crate::db::users::{CreateUserError, Role, User};
use crate::error::AppError;
use crate::extract::ApiJson;
use crate::state::AppState;
use crate::trainers::{csv, passphrase};
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/admin/trainers", post(create_trainer))
        .route("/api/cohorts", get(list).post(create))
        .route("/api/cohorts/join", post(join))
        .route("/api/cohorts/{id}", get(show))
        .route("/api/cohorts/{id}/pupils", post(add_pupils))
        .route("/api/cohorts/{id}/pupils/import", post(import_pupils))
        .route(
            "/api/cohorts/{id}/learners/{learner}/password",
            post(reset_password),
        )
        .route(
            "/api/cohorts/{id}/learners/{learner}",
            delete(delete_learner),
        )
        .route("/api/pupils/join", post(pupil_join))
        .route("/api/pupils/login", post(pupil_login))
        .route("/api/me/data", get(my_data))
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
    let hash = password::hash(new_password)?;
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
    // A new code when the one drawn is taken (rare: 31^6 codes).
    for _ in 0..5 {
        let code = new_join_code()?;
        let new = NewCohort {
            name,
            join_code: &code,
            starts_on: starts_on.as_deref(),
            ends_on: ends_on.as_deref(),
            tracks: &tracks,
        };
        match state.db.create_cohort(user.id, &new).await {
            Ok(cohort) => return Ok(cohort),
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
    CurrentUser(user): CurrentUser,
    session: Session,
    headers: HeaderMap,
    ApiJson(form): ApiJson<JoinCode>,
) -> Result<Json<Joined>, AppError> {
    check_csrf(&session, &headers, None).await?;
    let cohort = join_cohort(&state, &user, &form.code).await?;
    Ok(Json(Joined {
        id: cohort.id,
        name: cohort.name,
    }))
}

/// Adds a signed-in adult learner to the cohort of `code`.
pub async fn join_cohort(state: &AppState, user: &User, code: &str) -> Result<Cohort, AppError> {
    let cohort = cohort_of_code(state, code).await?;
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

/// Creates a pupil's account in the cohort of the form's code.
pub async fn new_pupil(state: &AppState, form: &PupilForm) -> Result<User, AppError> {
    let cohort = cohort_of_code(state, &form.code).await?;
    let name = csv::clean_name(&form.name).map_err(AppError::BadRequest)?;
    password::validate_new(&form.password)?;
    let hash = password::hash(&form.password)?;
    match state.db.create_pupils(cohort.id, &[(name, hash)]).await {
        Ok(mut users) => Ok(users.remove(0)),
        Err(CohortError::NameTaken(name)) => Err(AppError::Conflict(format!(
            "le nom « {name} » est déjà pris dans ce groupe : ajoute l'initiale de ton nom, ou connecte-toi si c'est toi"
        ))),
        Err(err) => Err(AppError::internal(err)),
    }
}

async fn pupil_join(
    State(state): State<AppState>,
    session: Session,
    ApiJson(form): ApiJson<PupilForm>,
) -> Result<(StatusCode, Json<SignedIn>), AppError> {
    let user = new_pupil(&state, &form).await?;
    let csrf_token = log_in(&session, &user).await?;
    Ok((StatusCode::CREATED, Json(SignedIn { user, csrf_token })))
}

/// The pupil a form names, if the password is theirs (throttled like
/// adults' logins, the account being the code and the name).
pub async fn pupil_of_form(
    state: &AppState,
    address: SocketAddr,
    form: &PupilForm,
) -> Result<User, AppError> {
    let account = format!(
        "{}/{}",
        form.code.trim().to_uppercase(),
        form.name.trim().to_lowercase()
    );
    state
        .throttle
        .check(&account, address.ip())
        .map_err(AppError::TooManyRequests)?;
    let cohort = state.db.cohort_by_code(&form.code).await?;
    let pupil = match (&cohort, csv::clean_name(&form.name)) {
        (Some(cohort), Ok(name)) => state.db.pupil_by_name(cohort.id, &name).await?,
        _ => None,
    };
    match pupil.filter(|p| password::verify(&form.password, &p.password_hash)) {
        Some(pupil) => {
            state.throttle.succeeded(&account);
            Ok(pupil)
        }
        None => {
            state.throttle.failed(&account, address.ip());
            Err(AppError::WrongPupilCredentials)
        }
    }
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
    let mut accounts = Vec::with_capacity(names.len());
    let mut passwords = Vec::with_capacity(names.len());
    for name in names {
        let generated = new_pupil_password()?;
        accounts.push((name, password::hash(&generated)?));
        passwords.push(generated);
    }
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
    let (_, member) = cohort_learner(state, user, cohort_id, learner_id).await?;
    if !member.pupil {
        return Err(AppError::Conflict(
            "seuls les mots de passe des élèves (sans e-mail) se réinitialisent ici".into(),
        ));
    }
    let generated = new_pupil_password()?;
    state
        .db
        .set_password_hash(member.id, &password::hash(&generated)?)
        .await?;
    Ok(LoginCard {
        id: member.id,
        name: member.name,
        password: generated,
    })
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

/// Deletes a learner of a cohort `user` follows, and everything stored
/// about them.
pub async fn delete_cohort_learner(
    state: &AppState,
    user: &User,
    cohort_id: i64,
    learner_id: i64,
) -> Result<(), AppError> {
    let (_, member) = cohort_learner(state, user, cohort_id, learner_id).await?;
    let learner = state.db.user_by_id(member.id).await?;
    if learner.is_some_and(|l| l.role != Role::Learner) {
        return Err(AppError::Forbidden(
            "seuls les comptes d'apprenants se suppriment ici".into(),
        ));
    }
    state.db.delete_user(member.id).await?;
    Ok(())
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

/// Everything stored about the signed-in learner.
async fn my_data(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<
    (
        [(axum::http::HeaderName, &'static str); 1],
        Json<serde_json::Value>,
    ),
    AppError,
> {
    let db = &state.db;
    let data = serde_json::json!({
        "account": user,
        "cohorts": db.cohorts_of_member(user.id).await?.into_iter().map(|c| serde_json::json!({"id": c.id, "name": c.name})).collect::<Vec<_>>(),
        "exercises": db.exercise_progress(user.id).await?.into_values().collect::<Vec<_>>(),
        "lessons": db.lesson_progress(user.id).await?,
        "submissions": db.all_submissions(user.id).await?,
        "drafts": db.drafts(user.id).await?,
        "activity": db.activity_times(user.id).await?,
    });
    Ok((
        [(
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"mes-donnees-fabrique.json\"",
        )],
        Json(data),
    ))
}
