import { esmTypeScriptProject } from '../jest.preset.mjs';

export default esmTypeScriptProject('order-processor');
