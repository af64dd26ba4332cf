//! The `orgkit-server` binary.

use clap::Parser;
use orgkit_server::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = Config::parse();
    match &config.command {
        Some(command) => orgkit_server::cli::run(&config, command).await,
        None => orgkit_server::serve(config).await,
    }
}
