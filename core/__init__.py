"""What every app uses and no app owns: the clock, Markdown sanitising, time zones,
rate limits, CSV export and iCalendar building. Imports nothing from the apps."""
