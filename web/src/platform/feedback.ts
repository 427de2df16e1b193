/** Showing the server's answers to people: messages, notifications and errors next to form fields. */
import { App } from 'antd';
import type { FormInstance } from 'antd';
import { useMemo } from 'react';
import { ApiError, errorText, fieldPath } from './api.ts';
import { useLang } from './i18n.tsx';

const key = (path: (string | number)[]) => path.map(String).join('.');

export interface Feedback {
  /** Shows an error (ApiError in the user's language) as a message at the top of the page. */
  error: (error: unknown) => void;
  success: (text: string) => void;
  /**
   * Puts field problems of a 400 next to the fields of the form that has them; what is left over (or
   * the whole problem when no field matches) is shown as a notification.
   */
  formError: (form: FormInstance, error: unknown, prefix?: (string | number)[]) => void;
}

export function useFeedback(): Feedback {
  const { message, notification } = App.useApp();
  const { lang } = useLang();
  return useMemo<Feedback>(
    () => ({
      error: (error) => {
        const text = errorText(error, lang);
        if (text.length > 80) {
          notification.error({
            title: lang === 'en-US' ? 'Error' : '出错了',
            description: text,
            duration: 8,
          });
        } else {
          void message.error(text, 5);
        }
      },
      success: (text) => void message.success(text),
      formError: (form, error, prefix = []) => {
        if (!(error instanceof ApiError) || !error.problem.errors?.length) {
          const text = errorText(error, lang);
          if (text.length > 80) {
            notification.error({
              title: lang === 'en-US' ? 'Error' : '出错了',
              description: text,
              duration: 8,
            });
          } else {
            void message.error(text, 5);
          }
          return;
        }
        const registered = new Set(form.getFieldsError().map((f) => key(f.name)));
        const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
        const rest: string[] = [];
        for (const fe of error.problem.errors) {
          let name = [...prefix, ...fieldPath(fe.path)];
          // a problem deep inside a field (e.g. openingHours.weekly.0) belongs to the nearest registered field
          while (name.length > 0 && !registered.has(key(name))) name = name.slice(0, -1);
          const text = fe.messages[lang];
          if (name.length === 0) {
            rest.push(text);
            continue;
          }
          const entry = byField.get(key(name)) ?? { name, errors: [] };
          entry.errors.push(text);
          byField.set(key(name), entry);
        }
        form.setFields([...byField.values()].map((f) => ({ name: f.name, errors: f.errors })));
        if (byField.size > 0 && rest.length === 0) {
          void message.warning(
            lang === 'en-US' ? 'Please correct the fields marked in red' : '请修改标红的输入项',
            5,
          );
        } else {
          notification.error({
            title: lang === 'en-US' ? 'Please check the input' : '请检查输入',
            description: rest.length > 0 ? rest.join('；') : error.messageIn(lang),
            duration: 8,
          });
        }
      },
    }),
    [lang, message, notification],
  );
}
