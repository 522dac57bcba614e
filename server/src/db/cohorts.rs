//! Cohorts: their tracks, trainers and members, and pupils' accounts
//! (no email: a pupil is known by a name within one cohort).

use super::users::{USER_COLUMNS, User, user_of};
use super::{Database, now_millis};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone, Serialize)]
pub struct Cohort {
    pub id: i64,
    pub name: String,
    pub join_code: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// Whether people may join with the code (pupils log in with it even
    /// when closed).
    pub join_open: bool,
    /// The last day people may join with the code (YYYY-MM-DD), if any.
    pub join_until: Option<String>,
    /// The ids of its tracks, in the order given at creation.
    pub tracks: Vec<String>,
}

impl Cohort {
    /// Whether people may join with the code on `today` (YYYY-MM-DD).
    pub fn joinable_on(&self, today: &str) -> bool {
        self.join_open
            && self
                .join_until
                .as_deref()
                .is_none_or(|until| today <= until)
    }
}

/// What a new cohort is made of.
#[derive(Debug, Clone)]
pub struct NewCohort<'a> {
    pub name: &'a str,
    pub join_code: &'a str,
    pub starts_on: Option<&'a str>,
    pub ends_on: Option<&'a str>,
    pub tracks: &'a [String],
}

/// A learner in a cohort.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub id: i64,
    pub name: String,
    /// An adult's email; none for a pupil.
    pub email: Option<String>,
    pub pupil: bool,
    pub joined_at: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum CohortError {
    #[error("this join code is already used")]
    CodeTaken,
    /// A pupil's name already used in the cohort (the name given).
    #[error("the name {0} is already used in this cohort")]
    NameTaken(String),
    /// As many pupils joined with the code in the last hour as allowed.
    #[error("too many pupils joined with this code in the last hour")]
    JoinLimit,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// A pupil's login: unique per cohort, never an email (no `@`).
pub fn pupil_login(cohort_id: i64, name: &str) -> String {
    format!("{cohort_id}:{}", name.to_lowercase())
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(err) if err.is_unique_violation())
}

const COHORT_COLUMNS: &str = "id, name, join_code, starts_on, ends_on, join_open, join_until";

impl Database {
    /// Creates a cohort run by `trainer_id`.
    pub async fn create_cohort(
        &self,
        trainer_id: i64,
        new: &NewCohort<'_>,
    ) -> Result<Cohort, CohortError> {
        let _turn = self.writer().await;
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO cohorts (name, join_code, starts_on, ends_on, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(new.name)
        .bind(new.join_code)
        .bind(new.starts_on)
        .bind(new.ends_on)
        .bind(now_millis())
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get("id")?,
            Err(err) if is_unique_violation(&err) => return Err(CohortError::CodeTaken),
            Err(err) => return Err(err.into()),
        };
        for (position, track) in new.tracks.iter().enumerate() {
            sqlx::query(
                "INSERT INTO cohort_tracks (cohort_id, track_id, position) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(track)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("INSERT INTO cohort_trainers (cohort_id, user_id) VALUES ($1, $2)")
            .bind(id)
            .bind(trainer_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Cohort {
            id,
            name: new.name.to_owned(),
            join_code: new.join_code.to_owned(),
            starts_on: new.starts_on.map(str::to_owned),
            ends_on: new.ends_on.map(str::to_owned),
            join_open: true,
            join_until: None,
            tracks: new.tracks.to_vec(),
        })
    }

    async fn cohort_of_row(&self, row: &AnyRow) -> Result<Cohort, sqlx::Error> {
        let id: i64 = row.try_get("id")?;
        let tracks = sqlx::query(
            "SELECT track_id FROM cohort_tracks WHERE cohort_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| row.try_get("track_id"))
        .collect::<Result<_, _>>()?;
        Ok(Cohort {
            id,
            name: row.try_get("name")?,
            join_code: row.try_get("join_code")?,
            starts_on: row.try_get("starts_on")?,
            ends_on: row.try_get("ends_on")?,
            join_open: row.try_get::<i64, _>("join_open")? != 0,
            join_until: row.try_get("join_until")?,
            tracks,
        })
    }

    pub async fn cohort(&self, id: i64) -> Result<Option<Cohort>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.cohort_of_row(&row).await?)),
            None => Ok(None),
        }
    }

    /// The cohort with this join code (codes are stored in capitals).
    pub async fn cohort_by_code(&self, code: &str) -> Result<Option<Cohort>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE join_code = $1"
        ))
        .bind(code.trim().to_uppercase())
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.cohort_of_row(&row).await?)),
            None => Ok(None),
        }
    }

    /// The cohorts a trainer runs, or every cohort (`None`: an administrator).
    pub async fn cohorts_run_by(
        &self,
        trainer_id: Option<i64>,
    ) -> Result<Vec<Cohort>, sqlx::Error> {
        let rows = match trainer_id {
            Some(id) => {
                sqlx::query(&format!(
                    "SELECT {COHORT_COLUMNS} FROM cohorts WHERE id IN \
                     (SELECT cohort_id FROM cohort_trainers WHERE user_id = $1) ORDER BY id DESC"
                ))
                .bind(id)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COHORT_COLUMNS} FROM cohorts ORDER BY id DESC"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        let mut cohorts = Vec::with_capacity(rows.len());
        for row in &rows {
            cohorts.push(self.cohort_of_row(row).await?);
        }
        Ok(cohorts)
    }

    pub async fn runs_cohort(&self, trainer_id: i64, cohort_id: i64) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT 1 AS yes FROM cohort_trainers WHERE cohort_id = $1 AND user_id = $2",
        )
        .bind(cohort_id)
        .bind(trainer_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// The cohorts a learner belongs to.
    pub async fn cohorts_of_member(&self, user_id: i64) -> Result<Vec<Cohort>, sqlx::Error> {
        let rows = sqlx::query(&format!(
            "SELECT {COHORT_COLUMNS} FROM cohorts WHERE id IN \
             (SELECT cohort_id FROM cohort_members WHERE user_id = $1) ORDER BY id"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        let mut cohorts = Vec::with_capacity(rows.len());
        for row in &rows {
            cohorts.push(self.cohort_of_row(row).await?);
        }
        Ok(cohorts)
    }

    /// Adds a learner to a cohort (nothing if already in it).
    pub async fn add_member(&self, cohort_id: i64, user_id: i64) -> Result<(), sqlx::Error> {
        let _turn = self.writer().await;
        sqlx::query(
            "INSERT INTO cohort_members (cohort_id, user_id, joined_at) VALUES ($1, $2, $3) \
             ON CONFLICT (cohort_id, user_id) DO NOTHING",
        )
        .bind(cohort_id)
        .bind(user_id)
        .bind(now_millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A cohort's learners, by name.
    pub async fn members(&self, cohort_id: i64) -> Result<Vec<Member>, sqlx::Error> {
        let rows = sqlx::query(
            "SELECT u.id, u.name, u.login, u.pupil_cohort_id, m.joined_at FROM cohort_members m \
             JOIN users u ON u.id = m.user_id WHERE m.cohort_id = $1 ORDER BY u.name, u.id",
        )
        .bind(cohort_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let pupil = row.try_get::<Option<i64>, _>("pupil_cohort_id")?.is_some();
                Ok(Member {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    email: if pupil {
                        None
                    } else {
                        Some(row.try_get("login")?)
                    },
                    pupil,
                    joined_at: row.try_get("joined_at")?,
                })
            })
            .collect()
    }

    pub async fn is_member(&self, cohort_id: i64, user_id: i64) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            "SELECT 1 AS yes FROM cohort_members WHERE cohort_id = $1 AND user_id = $2",
        )
        .bind(cohort_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.is_some())
    }

    /// Creates pupils' accounts in a cohort, all or none: `pupils` holds
    /// each one's name and password hash.
    pub async fn create_pupils(
        &self,
        cohort_id: i64,
        pupils: &[(String, String)],
    ) -> Result<Vec<User>, CohortError> {
        let _turn = self.writer().await;
        let mut tx = self.pool.begin().await?;
        let now = now_millis();
        let mut users = Vec::with_capacity(pupils.len());
        for (name, password_hash) in pupils {
            users.push(insert_pupil(&mut tx, cohort_id, name, password_hash, now, false).await?);
        }
        tx.commit().await?;
        Ok(users)
    }

    /// Creates the account of a pupil joining with the cohort's code,
    /// unless `max_per_hour` pupils already did in the last hour.
    pub async fn join_as_pupil(
        &self,
        cohort_id: i64,
        name: &str,
        password_hash: &str,
        max_per_hour: i64,
    ) -> Result<User, CohortError> {
        let _turn = self.writer().await;
        let mut tx = self.pool.begin().await?;
        if self.backend == super::Backend::Postgres {
            // Joins with one code wait in turn, so that the count holds.
            sqlx::query("SELECT id FROM cohorts WHERE id = $1 FOR UPDATE")
                .bind(cohort_id)
                .execute(&mut *tx)
                .await?;
        }
        let now = now_millis();
        let joined: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM users WHERE pupil_cohort_id = $1 AND self_joined = 1 AND created_at > $2",
        )
        .bind(cohort_id)
        .bind(now - 3_600_000)
        .fetch_one(&mut *tx)
        .await?;
        if joined >= max_per_hour {
            return Err(CohortError::JoinLimit);
        }
        let user = insert_pupil(&mut tx, cohort_id, name, password_hash, now, true).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Opens or closes a cohort's code, and sets its last day.
    pub async fn set_joining(
        &self,
        cohort_id: i64,
        open: bool,
        until: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.writer().await;
        sqlx::query("UPDATE cohorts SET join_open = $2, join_until = $3 WHERE id = $1")
            .bind(cohort_id)
            .bind(i64::from(open))
            .bind(until)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Gives a cohort a new join code (the old one no longer works).
    pub async fn renew_join_code(&self, cohort_id: i64, code: &str) -> Result<(), CohortError> {
        let _turn = self.writer().await;
        match sqlx::query("UPDATE cohorts SET join_code = $2 WHERE id = $1")
            .bind(cohort_id)
            .bind(code)
            .execute(&self.pool)
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if is_unique_violation(&err) => Err(CohortError::CodeTaken),
            Err(err) => Err(err.into()),
        }
    }

    /// A pupil of a cohort, by name (case does not matter).
    pub async fn pupil_by_name(
        &self,
        cohort_id: i64,
        name: &str,
    ) -> Result<Option<User>, sqlx::Error> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE login = $1"
        ))
        .bind(pupil_login(cohort_id, name))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_of).transpose()
    }

    pub async fn set_password_hash(
        &self,
        user_id: i64,
        password_hash: &str,
    ) -> Result<(), sqlx::Error> {
        let _turn = self.writer().await;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Deletes an account and everything stored about it (its
    /// submissions, progress, drafts, activity and memberships go with it).
    pub async fn delete_user(&self, user_id: i64) -> Result<bool, sqlx::Error> {
        let _turn = self.writer().await;
        let done = sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() == 1)
    }
}

/// Inserts a pupil's account and membership in `tx`.
async fn insert_pupil(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    cohort_id: i64,
    name: &str,
    password_hash: &str,
    now: i64,
    self_joined: bool,
) -> Result<User, CohortError> {
    let inserted = sqlx::query(&format!(
        "INSERT INTO users (login, name, password_hash, role, pupil_cohort_id, created_at, self_joined) \
         VALUES ($1, $2, $3, 'learner', $4, $5, $6) RETURNING {USER_COLUMNS}"
    ))
    .bind(pupil_login(cohort_id, name))
    .bind(name)
    .bind(password_hash)
    .bind(cohort_id)
    .bind(now)
    .bind(i64::from(self_joined))
    .fetch_one(&mut **tx)
    .await;
    let user = match inserted {
        Ok(row) => user_of(&row)?,
        Err(err) if is_unique_violation(&err) => {
            return Err(CohortError::NameTaken(name.to_owned()));
        }
        Err(err) => return Err(err.into()),
    };
    sqlx::query("INSERT INTO cohort_members (cohort_id, user_id, joined_at) VALUES ($1, $2, $3)")
        .bind(cohort_id)
        .bind(user.id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(user)
}
