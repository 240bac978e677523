// SPDX-License-Identifier: AGPL-3.0-or-later
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { Toast as RadixToast } from 'radix-ui';
import styles from './ui.module.css';

interface ToastMessage {
  id: number;
  title: string;
  description?: string;
  tone?: 'success' | 'danger' | 'info';
}

type ShowToast = (message: Omit<ToastMessage, 'id'>) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

/** Short confirmations ("Contract saved") announced politely to screen readers. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<ToastMessage[]>([]);
  const show = useCallback<ShowToast>((message) => {
    setMessages((current) => [...current, { ...message, id: Date.now() + Math.random() }]);
  }, []);
  const dismiss = (id: number) => setMessages((current) => current.filter((m) => m.id !== id));

  return (
    <ToastContext.Provider value={show}>
      <RadixToast.Provider swipeDirection="right" duration={5000}>
        {children}
        {messages.map((m) => (
          <RadixToast.Root
            key={m.id}
            className={styles.toast}
            data-tone={m.tone ?? 'info'}
            onOpenChange={(open) => !open && dismiss(m.id)}
          >
            <RadixToast.Title className={styles.toastTitle}>{m.title}</RadixToast.Title>
            {m.description && (
              <RadixToast.Description className={styles.toastDescription}>
                {m.description}
              </RadixToast.Description>
            )}
            <RadixToast.Close aria-label="Dismiss" className={styles.button}>
              ✕
            </RadixToast.Close>
          </RadixToast.Root>
        ))}
        <RadixToast.Viewport className={styles.toastViewport} />
      </RadixToast.Provider>
    </ToastContext.Provider>
  );
}

export const useToast = () => useContext(ToastContext);
