export { appComponent } from './app-component';
export { defineApp, type AppDefinition } from './definition';
