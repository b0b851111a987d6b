import { useState } from 'react';
import { Button } from '../../components/Button';
import { useSession } from './session';

export function SignOutButton() {
  const { signOut } = useSession();
  const [pending, setPending] = useState(false);
  const onClick = async () => {
    setPending(true);
    try {
      // The route guard takes the user to the sign-in page once the session is gone.
      await signOut();
    } finally {
      setPending(false);
    }
  };
  return (
    <Button size="sm" variant="ghost" onClick={() => void onClick()} loading={pending} loadingLabel="Signing out…">
      Sign out
    </Button>
  );
}
