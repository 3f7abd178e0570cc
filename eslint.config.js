import neostandard from 'neostandard'
import globals from 'globals'

export default [
  ...neostandard({ ts: true, ignores: ['node_modules/**', 'var/**', 'coverage/**', 'dist/**', 'dist.tmp-*/**'] }),
  {
    files: ['src/web/public/**/*.js', 'src/staff/public/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
]
