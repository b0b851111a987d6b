import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { BootErrorPage } from './app/StatusPages';
import { PageSpinner } from './components/Spinner';
import { configureAmplify } from './lib/amplify';
import { ConfigLoadError, loadPublicConfig } from './lib/config';
import './styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

/** Loads `/config.json`, points Amplify at the user pool, then renders the app (or a page to retry). */
async function start(): Promise<void> {
  root.render(<PageSpinner label="Starting Tenantry…" />);
  try {
    const config = await loadPublicConfig();
    configureAmplify(config);
    root.render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  } catch (error) {
    const message =
      error instanceof ConfigLoadError ? error.message : 'An unexpected error stopped Tenantry from starting.';
    root.render(<BootErrorPage message={message} onRetry={() => void start()} />);
  }
}

void start();
