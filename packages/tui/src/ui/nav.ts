import { createContext, useContext } from 'react';
import type { AppServices } from '../app/services.js';

export type Route =
  | { name: 'dashboard' }
  | { name: 'wizard'; step?: 'source' | 'destinations' | 'plan' }
  | { name: 'run'; plan: string }
  | { name: 'gone' }
  | { name: 'restore'; from?: string }
  | { name: 'pick'; source?: string }
  | { name: 'plugins' }
  | { name: 'manage' }
  | { name: 'schedule'; plan: string }
  | { name: 'signin'; source: string }
  | { name: 'runs'; plan?: string }
  | { name: 'verify'; plan: string }
  | { name: 'offload'; source: string };

export interface Nav {
  go(route: Route): void;
  back(): void;
  quit(): void;
}

export interface UiContext {
  /** The application services: screens show what these return. */
  app: AppServices;
  nav: Nav;
}

export const Ui = createContext<UiContext | undefined>(undefined);

export function useUi(): UiContext {
  const ui = useContext(Ui);
  if (!ui) throw new Error('useUi outside <App>');
  return ui;
}
