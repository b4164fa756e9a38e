// The widget gallery: one <elevenlabs-convai> whose attributes and theme follow the form, and the markup and CSS that
// make it, shown as text. The CSS applied to the page and the CSS shown are the same strings.
import '@elevenkit/widget/define';
import { byId } from './chat.ts';

/** Colours for a pinned scheme: the widget's own light and dark defaults, set through its custom properties. */
const SCHEMES = {
  system: '',
  light: `elevenlabs-convai {
  --el-base: #ffffff;
  --el-base-hover: #f3f4f6;
  --el-base-primary: #111827;
  --el-base-subtle: #4b5563;
  --el-base-border: #d1d5db;
  --el-base-error: #b91c1c;
  --el-accent: #111827;
  --el-accent-hover: #374151;
  --el-accent-primary: #ffffff;
  --el-focus-color: #2563eb;
}`,
  dark: `elevenlabs-convai {
  --el-base: #18181b;
  --el-base-hover: #27272a;
  --el-base-primary: #f4f4f5;
  --el-base-subtle: #a1a1aa;
  --el-base-border: #3f3f46;
  --el-base-error: #fca5a5;
  --el-accent: #f4f4f5;
  --el-accent-hover: #d4d4d8;
  --el-accent-primary: #18181b;
  --el-focus-color: #93c5fd;
}`,
};

const THEMES = {
  default: '',
  brand: `elevenlabs-convai {
  --el-accent: #0f766e;
  --el-accent-hover: #115e59;
  --el-accent-primary: #ffffff;
  --el-button-radius: 6px;
  --el-sheet-radius: 12px;
  --el-bubble-radius: 8px;
  --el-font-family: Georgia, 'Times New Roman', serif;
}`,
  parts: `elevenlabs-convai::part(launcher),
elevenlabs-convai::part(sheet) {
  border-radius: 4px;
  border-width: 2px;
}
elevenlabs-convai::part(avatar) {
  border-radius: 4px;
}
elevenlabs-convai::part(button) {
  border-radius: 4px;
  font-weight: 700;
  letter-spacing: 0.02em;
}
elevenlabs-convai::part(message) {
  border-radius: 4px;
}`,
};

type Scheme = keyof typeof SCHEMES;
type Theme = keyof typeof THEMES;

const form = byId<HTMLFormElement>('gallery');
const widget = byId<HTMLElement>('widget');
const markup = byId<HTMLElement>('markup');
const cssText = byId<HTMLElement>('css');
const sheet = new CSSStyleSheet();
document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];

/** Attributes the form sets; absent means the widget's default (or the agent's widget settings). */
function apply() {
  const data = new FormData(form);
  const variant = String(data.get('variant'));
  const placement = String(data.get('placement'));
  const alwaysExpanded = data.get('always-expanded') === 'true';
  setAttribute('variant', variant === 'compact' ? null : variant);
  setAttribute('placement', placement === 'bottom-right' ? null : placement);
  setAttribute('always-expanded', alwaysExpanded ? 'true' : null);

  // A pinned scheme first, so a theme's accent colours win over it.
  const css = [SCHEMES[String(data.get('scheme')) as Scheme], THEMES[String(data.get('theme')) as Theme]]
    .filter(Boolean)
    .join('\n');
  sheet.replaceSync(css);
  cssText.textContent = css || '/* No CSS: the widget’s defaults, light or dark as the system says. */';

  const attributes = [...widget.attributes]
    .filter((attribute) => attribute.name !== 'id')
    .map((attribute) => ` ${attribute.name}="${attribute.value}"`)
    .join('');
  markup.textContent = `<elevenlabs-convai${attributes}></elevenlabs-convai>`;
}

function setAttribute(name: string, value: string | null) {
  if (value === null) widget.removeAttribute(name);
  else widget.setAttribute(name, value);
}

form.addEventListener('change', apply);
form.addEventListener('submit', (event) => event.preventDefault());
apply();
