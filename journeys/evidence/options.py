"""What the command line shows of checkpoints in its help, here so that `--help` imports no
cryptography (this module imports nothing)."""

# The environment variable that names the signing key file when --key is not given.
SIGNING_KEY_ENV = "JOURNEYS_SIGNING_KEY"
