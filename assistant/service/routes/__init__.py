"""HTTP routes of the policyqa service."""
