# Copy to instance/config.py and uncomment what you need. Every setting can also be given as an
# environment variable with the JOURNAL_ prefix (JOURNAL_TIMEZONE=Asia/Seoul, ...).

# DATABASE_URL = "postgresql+psycopg://journal:secret@localhost/journal"  # default: SQLite here
# TIMEZONE = "Asia/Seoul"            # times on pages and in exports; default UTC
# SECRET_KEY = "..."                 # default: generated into instance/secret_key on first start
# SESSION_COOKIE_SECURE = True       # when the journal is served over HTTPS
# REVIEWS_PER_PAGE = 20
# AUTOSAVE_DELAY_MS = 2000          # the editor autosaves this long after the last keystroke
# LOGIN_ATTEMPTS_PER_MINUTE = 5
# TRUSTED_PROXIES = 1                # behind one reverse proxy that sets X-Forwarded-For
# SITE_URL = "https://reviews.example.org"  # feeds link here, not to the request's Host
# AUTHOR_NAME = "Hana Kim"           # the feeds' author; default "Review Journal"
# MAX_CONTENT_LENGTH = 8 * 1024 * 1024
