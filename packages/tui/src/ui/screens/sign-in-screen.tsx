import { Frame } from '../components/frame.js';
import { useUi } from '../nav.js';
import { SignIn } from '../wizard/sign-in.js';

/** Signing a source in again from home (the session expired, or Apple wants a new two-factor code). */
export function SignInScreen({ source }: { source: string }) {
  const { nav } = useUi();
  return (
    <Frame
      title={`Sign in · ${source}`}
      keys={[
        { key: 'enter', does: 'answer' },
        { key: 's', does: 'code by SMS' },
        { key: 'esc', does: 'back' },
      ]}
    >
      <SignIn source={source} onDone={() => nav.go({ name: 'dashboard' })} onSkip={() => nav.back()} />
    </Frame>
  );
}
