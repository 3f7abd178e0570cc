import createError from '@fastify/error'

/** Coded errors of the application. "Not found" is an answer, not an exception: it is not here. */
export const ConfigError = createError('APP_CONFIG_INVALID', 'Invalid configuration: %s', 500)
export const CatalogueError = createError('APP_CATALOGUE_INVALID', 'Invalid catalogue data:\n%s', 500)
export const DataError = createError('APP_DATA_INVALID', 'Invalid data file: %s', 500)
