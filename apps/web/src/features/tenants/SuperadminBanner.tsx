import { useNavigate } from 'react-router';
import { Button } from '../../components/Button';
import { useTenantContext } from './tenant-context';
import { useSuperadminView } from './useActiveTenant';

/** Shown on every page while a superadmin views an organisation they do not belong to. */
export function SuperadminBanner() {
  const { explicit } = useTenantContext();
  const view = useSuperadminView();
  const navigate = useNavigate();
  if (!explicit) return null;
  return (
    <div className="sa-banner" role="status" data-testid="superadmin-banner">
      <div className="sa-banner__inner">
        <span>
          Viewing <strong>{explicit.name}</strong> as superadmin. Every request is audited.
        </span>
        <Button
          size="sm"
          onClick={() => {
            view.exit();
            void navigate('/admin/tenants');
          }}
        >
          Exit
        </Button>
      </div>
    </div>
  );
}
