"""The weekly digest for managers: kudos, mood and polls of the ISO week just ended, posted once per team."""
