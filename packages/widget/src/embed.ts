// The one-file script-tag build. Imports run in order: the script's own URL is recorded before anything else.
import './embed-base.ts';
import './define.ts';
