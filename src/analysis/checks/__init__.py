"""Layer 3, the checks: each claim of an article checked against the measures, the verdict log, and ClaimReview."""
