use super::*;

#[test]
fn rolled_logs_sort_before_live_one() {
    let mut v = [
        PathBuf::from("smsts.log"),
        PathBuf::from("smsts-20261112-101502.log"),
        PathBuf::from("smsts-20261111-090000.log"),
    ];
    v.sort_by_key(|a| log_sort_key(a));
    assert_eq!(v[0], PathBuf::from("smsts-20261111-090000.log"));
    assert_eq!(v[2], PathBuf::from("smsts.log"));
}
