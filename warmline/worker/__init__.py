"""The scheduler process (process.py) and its one table of jobs and timers (jobs.py): an entry
point, like web/ and cli/, so the only part of the domain side that may use the composition root."""
