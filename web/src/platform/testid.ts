/** A data-testid for antd props objects that do not list data-* attributes (e.g. a Modal's okButtonProps). */
import type { ButtonProps } from 'antd';

export function buttonTestId(id: string): ButtonProps {
  const props: Record<string, string> = { 'data-testid': id };
  return props as ButtonProps;
}
