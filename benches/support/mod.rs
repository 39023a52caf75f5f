//! A synthetic SMSTS-like log for benchmarks run without `TSLENS_BENCH_LOG`: steps that
//! start and complete, variables, warnings, and now and then a failing HRESULT chain.

/// About `bytes` bytes of CMTrace records.
pub fn synthetic(bytes: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 4096);
    let mut i = 0u64;
    while out.len() < bytes {
        let step = i / 40;
        let (kind, msg) = match i % 97 {
            0 => (
                3,
                format!(
                    "Install(), HRESULT=80070005 (e:\\src\\install.cpp,{})",
                    i % 900
                ),
            ),
            1 => (
                3,
                "Run(), HRESULT=80004005 (e:\\src\\main.cpp,88)".to_string(),
            ),
            2 => (
                3,
                "Failed to install the package. Code(0x80004005)".to_string(),
            ),
            3 => (2, format!("Retrying download of item {i}")),
            _ => match i % 40 {
                0 => (
                    1,
                    format!(
                        "Start executing an instruction. Instruction name: Step {step}. Instruction pointer: {step}"
                    ),
                ),
                38 => (1, "Process completed with exit code 0".to_string()),
                39 => (
                    1,
                    format!(
                        "Successfully completed the action (Step {step}) with the exit win32 code 0"
                    ),
                ),
                _ => (
                    1,
                    format!("Set a global environment variable _SMSTSVar{i}=value {i}"),
                ),
            },
        };
        let s = i / 10;
        out.extend_from_slice(
            format!(
                "<![LOG[{msg}]LOG]!><time=\"{:02}:{:02}:{:02}.{:03}+000\" date=\"03-10-2026\" component=\"TSManager\" context=\"\" type=\"{kind}\" thread=\"{}\" file=\"x.cpp:1\">\r\n",
                (s / 3600) % 24,
                (s / 60) % 60,
                s % 60,
                i % 1000,
                100 + i % 7
            )
            .as_bytes(),
        );
        i += 1;
    }
    out
}
