import { EnvError } from './env.js';
import { runServer } from './server.js';

try {
  await runServer(process.env);
} catch (err) {
  if (err instanceof EnvError) {
    console.error(err.message);
  } else if (err instanceof Error && 'code' in err && err.code === 'EADDRINUSE') {
    console.error(`api: ${err.message}. Stop the other process or set PORT.`);
  } else {
    console.error('api: failed to start:', err);
  }
  process.exit(1);
}
