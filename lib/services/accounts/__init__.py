"""The accounts context: sign-up, sign-in sessions, e-mail tokens and staff account tools."""
