"""Background jobs (CKAN's ``ckan jobs worker``) and the bodies of the
``ckan opendata-th`` commands that cron runs. Jobs are queued after the
change they follow is committed (see :mod:`..subscriptions`)."""
