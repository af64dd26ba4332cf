//! Maintenance commands of the server binary (`orgkit-server deliveries …`, `secret-keys …`,
//! `signing-keys …`), run against the configured database instead of serving.

use crate::config::Config;
use crate::db::Db;
use crate::queue;
use crate::service::secret_keys;
use crate::session_tokens::keys;
use crate::webhooks::Sealer;
use clap::Subcommand;
use orgkit_core::Timestamp;

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// The delivery queue (mail and webhooks).
    #[command(subcommand)]
    Deliveries(DeliveriesCommand),
    /// Instance secret keys for the Clerk-compatible API (`Authorization: Bearer <key>`).
    #[command(subcommand)]
    SecretKeys(SecretKeysCommand),
    /// The keys that sign session tokens.
    #[command(subcommand)]
    SigningKeys(SigningKeysCommand),
}

#[derive(Debug, Clone, Subcommand)]
pub enum SecretKeysCommand {
    /// Creates a key and prints it once, on the first line; only its hash is stored.
    Create {
        /// What the key is for, shown by `list`.
        #[arg(long)]
        name: String,
    },
    /// Lists the keys, one per line: id, name, last 4 characters, created, revoked (ms).
    List,
    /// Revokes a key at once.
    Revoke {
        /// The key's id (`key_…`, from `list`).
        id: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum SigningKeysCommand {
    /// Lists every key, newest first: kid, algorithm, created, retired (or `active`).
    List,
    /// Retires the active key and makes a new one. The old key stays published until the
    /// tokens it signed have expired; other instances sign with the new key within seconds.
    Rotate,
}

#[derive(Debug, Clone, Subcommand)]
pub enum DeliveriesCommand {
    /// Lists the newest items, one per line: id, kind, status, attempts, target, topic, error.
    List {
        /// Only items in this status: pending, delivered or dead.
        #[arg(long, value_parser = ["pending", "delivered", "dead"])]
        status: Option<String>,
        /// At most this many items.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Makes dead items pending again, due now, with a fresh count of attempts.
    Retry {
        /// The item to revive.
        #[arg(required_unless_present = "all_dead", conflicts_with = "all_dead")]
        id: Option<String>,
        /// Every dead item.
        #[arg(long)]
        all_dead: bool,
    },
}

/// Runs `command` and prints its result to stdout.
pub async fn run(config: &Config, command: &Command) -> anyhow::Result<()> {
    let db = Db::connect(&config.database_url, 2).await?;
    match command {
        Command::Deliveries(DeliveriesCommand::List { status, limit }) => {
            let status = status.as_deref().unwrap_or_default();
            for item in queue::list(&db, status, *limit).await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    item.id,
                    item.kind,
                    item.status,
                    item.attempts,
                    item.target,
                    item.topic,
                    item.last_error.unwrap_or_default()
                );
            }
        }
        Command::Deliveries(DeliveriesCommand::Retry { id, all_dead }) => {
            let id = if *all_dead { None } else { id.as_deref() };
            let revived = queue::retry_dead(&db, id).await?;
            println!("{revived} dead item(s) pending again");
            anyhow::ensure!(revived > 0 || *all_dead, "no dead item with this id");
        }
        Command::SecretKeys(SecretKeysCommand::Create { name }) => {
            let (record, key) = secret_keys::create(&db, name).await?;
            println!("{key}");
            eprintln!(
                "created {} ({}): the key above is shown once; store it now",
                record.id, record.name
            );
        }
        Command::SecretKeys(SecretKeysCommand::List) => {
            for key in secret_keys::list(&db).await? {
                let revoked = key.revoked_at.map(|r| r.to_string()).unwrap_or_default();
                println!(
                    "{}\t{}\t…{}\t{}\t{}",
                    key.id, key.name, key.last4, key.created_at, revoked
                );
            }
        }
        Command::SecretKeys(SecretKeysCommand::Revoke { id }) => {
            anyhow::ensure!(
                secret_keys::revoke(&db, id).await?,
                "no live secret key with this id"
            );
            println!("revoked {id}");
        }
        Command::SigningKeys(command) => signing_keys(config, &db, command).await?,
    }
    Ok(())
}

async fn signing_keys(
    config: &Config,
    db: &Db,
    command: &SigningKeysCommand,
) -> anyhow::Result<()> {
    match command {
        SigningKeysCommand::List => {
            for key in keys::list(db).await? {
                let retired = key.retired_at.map(|at| Timestamp(at).to_rfc3339());
                println!(
                    "{}\t{}\t{}\t{}",
                    key.kid,
                    key.algorithm,
                    Timestamp(key.created_at).to_rfc3339(),
                    retired.as_deref().unwrap_or("active")
                );
            }
        }
        SigningKeysCommand::Rotate => {
            let sealer = match &config.secret_key {
                Some(key) if !key.0.trim().is_empty() => Sealer::from_base64(&key.0)?,
                _ => anyhow::bail!("signing keys are sealed with --secret-key: set it"),
            };
            let kid = keys::rotate(db, &sealer).await?;
            println!("{kid}");
        }
    }
    Ok(())
}
