process.env.CHECKPOINT_DISABLE = "1";
// Google's clients probe the GCE metadata server (169.254.169.254) for credentials even
// against the emulators; no test may send traffic off this machine, in any worker.
process.env.METADATA_SERVER_DETECTION = "none";
