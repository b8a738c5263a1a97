"""The coordinators' dashboard (SPEC §11)."""
