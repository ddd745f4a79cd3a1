//! The embedded database's files are readable by their owner only, like the respondent secret.
#![cfg(unix)]

use std::os::unix::fs::PermissionsExt;

use minxin_domain::platform::{Attribution, NewWave, WaveConfigTexts, WaveStore};
use minxin_storage::SqliteStore;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test]
async fn database_files_are_the_owners_only() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("minxin.db");
    let store = SqliteStore::open(&path).await.unwrap();
    store
        .create_wave(
            &NewWave {
                name: "w".into(),
                period_start: None,
                period_end: None,
                quotas: Default::default(),
                config: WaveConfigTexts::defaults(),
                tokens_required: false,
                cut_points: "median".into(),
            },
            &Attribution {
                actor: "test".into(),
                at_ms: 1,
            },
        )
        .await
        .unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let file = folder.path().join(format!("minxin.db{suffix}"));
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    drop(store);
    // A file made readable by others (an older version, a careless copy) is closed again.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _reopened = SqliteStore::open(&path).await.unwrap();
    assert_eq!(mode(&path), 0o600);
}
