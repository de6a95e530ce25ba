/* Numbered schema migrations; migration N brings a database to user_version N.
 * Append new migrations, never edit a released one. */
#ifndef NRM_STORE_SCHEMA_H
#define NRM_STORE_SCHEMA_H

#define STORE_SCHEMA_VERSION 26

extern const char *const schema_migrations[STORE_SCHEMA_VERSION];

#endif
