// <app-icon name="camera|pin">: small inline SVG icons (emoji fonts are not
// everywhere). Decorative: hidden from screen readers.
const PATHS = {
  camera: 'M4 8h3l2-3h6l2 3h3v11H4zM12 17a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  pin: 'M12 21s-6-5.6-6-11a6 6 0 0 1 12 0c0 5.4-6 11-6 11zM12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z',
};

export const AppIcon = {
  name: 'AppIcon',
  props: { name: { type: String, required: true } },
  setup(props) { return { d: PATHS[props.name] || '' }; },
  template: `<svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path :d="d" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round"/></svg>`,
};
